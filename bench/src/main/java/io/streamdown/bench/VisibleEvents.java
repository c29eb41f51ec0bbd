package io.streamdown.bench;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongUnaryOperator;

/**
 * How many of the accepted YSB events the query API counts, window by window. A window's count is
 * asked again only while it is below what was accepted into it (counts only grow), so a round of
 * polling, which query-service answers on the cores the pipeline needs, costs about one request
 * per window still filling. Works while the load still runs: windows and their accepted counts
 * may grow between calls.
 */
final class VisibleEvents {

  private final LongUnaryOperator shownInWindow;
  private final Map<Long, Long> shown = new HashMap<>();

  /** {@code shownInWindow}: window start → events the query API counts in that window. */
  VisibleEvents(LongUnaryOperator shownInWindow) {
    this.shownInWindow = shownInWindow;
  }

  /** Counting through {@code client}'s query API. */
  static VisibleEvents of(StackClient client) {
    return new VisibleEvents(window -> inWindow(client, window));
  }

  /** Of {@code acceptedPerWindow} (window start → events accepted), how many are counted. */
  long count(Map<Long, Long> acceptedPerWindow) {
    long visible = 0;
    for (Map.Entry<Long, Long> window : acceptedPerWindow.entrySet()) {
      long accepted = window.getValue();
      long known = shown.getOrDefault(window.getKey(), 0L);
      if (known < accepted) {
        known = Math.max(known, shownInWindow.applyAsLong(window.getKey()));
        shown.put(window.getKey(), known);
      }
      visible += Math.min(known, accepted);
    }
    return visible;
  }

  /** Events the query API counts in one YSB window, over the YSB event types only. */
  static long inWindow(StackClient client, long windowStart) {
    return client.ysbWindow(windowStart).values().stream().mapToLong(Long::longValue).sum();
  }

  /** Window start → events accepted into it. */
  static Map<Long, Long> acceptedPerWindow(YsbCounts counts) {
    Map<Long, Long> perWindow = new TreeMap<>();
    counts.snapshot().forEach((cell, n) -> perWindow.merge(cell.windowStart(), n, Long::sum));
    return perWindow;
  }

  /** The sum of a window → count map. */
  static long total(Map<Long, Long> perWindow) {
    return perWindow.values().stream().mapToLong(Long::longValue).sum();
  }
}
