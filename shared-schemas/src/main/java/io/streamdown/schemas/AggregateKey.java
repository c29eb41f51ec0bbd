package io.streamdown.schemas;

import java.util.List;

/**
 * Key of a record on the {@code aggregates} topic: one window of one group of one view. The topic
 * is compacted on this key, so the latest aggregate of each window survives.
 *
 * <p>A session is keyed by its start too: the sessions of a group never overlap, so no two share a
 * start. When sessions merge, the superseded ones get a tombstone on their own key and the merged
 * session a value on its key (its start is the earliest of the starts).
 *
 * <p>Records are partitioned by view and group only ({@link AggregatePartitioner}), so all the
 * windows of a group live in one partition and a range query touches one instance.
 */
public record AggregateKey(String view, List<String> group, long windowStart) {

  public AggregateKey {
    group = List.copyOf(group);
  }

  public GroupKey groupKey() {
    return new GroupKey(group);
  }

  private static final String VIEW = "{\"view\":\"";
  private static final String GROUP = "\",\"group\":";
  private static final String WINDOW_START = ",\"windowStart\":";

  /**
   * The key of a record's JSON text, as the mapper ({@link Json#MAPPER}) reads it. Query reads one
   * for every aggregate it stores and every one it replays into its stores; the text aggregate
   * writes ({@code {"view":"...","group":[...],"windowStart":...}}, values that need no escaping)
   * is read here directly, any other text by the mapper, which accepts or rejects it.
   *
   * @throws tools.jackson.core.JacksonException when the text is not an AggregateKey
   */
  public static AggregateKey decode(String text) {
    AggregateKey key = decodeCompact(text);
    return key != null ? key : Json.MAPPER.readValue(text, AggregateKey.class);
  }

  /** The key of the compact form with plain values, or null for any other text. */
  private static AggregateKey decodeCompact(String text) {
    if (!text.startsWith(VIEW) || !text.endsWith("}")) {
      return null;
    }
    int viewEnd = text.indexOf('"', VIEW.length());
    if (viewEnd < 0 || !text.startsWith(GROUP, viewEnd)) {
      return null;
    }
    for (int i = VIEW.length(); i < viewEnd; i++) {
      if (!GroupKey.isPlain(text.charAt(i))) {
        return null;
      }
    }
    // Plain values hold no quote, so the marker cannot occur inside the group.
    int groupStart = viewEnd + GROUP.length();
    int groupEnd = text.indexOf(WINDOW_START, groupStart);
    if (groupEnd < 0) {
      return null;
    }
    List<String> group = GroupKey.decodePlain(text.substring(groupStart, groupEnd));
    Long windowStart = wholeNumber(text, groupEnd + WINDOW_START.length(), text.length() - 1);
    if (group == null || windowStart == null) {
      return null;
    }
    return new AggregateKey(text.substring(VIEW.length(), viewEnd), group, windowStart);
  }

  /** A JSON integer without leading zeros that fits a long, or null. */
  private static Long wholeNumber(String text, int start, int end) {
    int digits = start < end && text.charAt(start) == '-' ? start + 1 : start;
    if (digits >= end) {
      return null;
    }
    if (text.charAt(digits) == '0' && end - digits > 1) {
      return null;
    }
    for (int i = digits; i < end; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return null;
      }
    }
    try {
      return Long.parseLong(text, start, end, 10);
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
