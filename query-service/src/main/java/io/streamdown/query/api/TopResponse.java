package io.streamdown.query.api;

import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/v1/views/{view}/top}: the groups of one window ranked by {@code by}, highest
 * first, ties by group key. {@code windowStart}/{@code windowEnd} are null (and entries empty)
 * when the view has no window yet. Of a sliding or session view, each group's latest window live
 * at {@code windowEnd} is ranked, and {@code windowStart} is that instant minus the size (sliding)
 * or the gap (session).
 *
 * <p>Every instance ranks the partitions whose active task it holds; the receiving instance
 * merges. {@code partial} is true, and {@code missingPartitions} lists them, when some partitions
 * were not ranked (their instance did not answer in time, or they are moving).
 */
record TopResponse(
    String view,
    String windowStart,
    String windowEnd,
    String by,
    int limit,
    List<Entry> entries,
    ServedBy servedBy,
    boolean partial,
    List<Integer> missingPartitions) {

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
      Double p99) {

    /** The same group at another rank (parts are ranked again when merged). */
    Entry withRank(int newRank) {
      return new Entry(newRank, key, count, valueCount, sum, min, max, mean, p99);
    }
  }
}
