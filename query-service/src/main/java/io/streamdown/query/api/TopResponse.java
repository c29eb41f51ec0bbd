package io.streamdown.query.api;

import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/v1/views/{view}/top}: the groups of one window ranked by {@code by}, highest
 * first, ties by group key. {@code windowStart}/{@code windowEnd} are null (and entries empty)
 * when the view has no window yet. Of a sliding or session view, each group's latest window live
 * at {@code windowEnd} is ranked, and {@code windowStart} is that instant minus the size (sliding)
 * or the gap (session).
 */
record TopResponse(
    String view, String windowStart, String windowEnd, String by, int limit, List<Entry> entries) {

  /** One group of the window. */
  record Entry(
      int rank,
      Map<String, String> key,
      long count,
      long valueCount,
      double sum,
      Double min,
      Double max,
      Double mean,
      Double p99) {}
}
