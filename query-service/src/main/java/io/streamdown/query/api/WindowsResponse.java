package io.streamdown.query.api;

import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/v1/views/{view}/windows}: one group's windows starting in [from, to], oldest
 * first.
 *
 * @param key the group: group-by field to value
 * @param truncated true when older windows of the range were left out (response size limit)
 * @param servedBy which instance answered, and how fresh its copy was
 */
record WindowsResponse(
    String view,
    Map<String, String> key,
    String from,
    String to,
    boolean truncated,
    List<WindowEntry> windows,
    ServedBy servedBy) {}
