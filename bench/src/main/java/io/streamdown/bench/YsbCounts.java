package io.streamdown.bench;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The offline count of what was generated and accepted: events per (window start, event type,
 * campaign), the YSB result the pipeline must reproduce. Thread-safe.
 */
public final class YsbCounts {

  /** One cell of the YSB result. */
  public record Cell(long windowStart, String eventType, String campaignId)
      implements Comparable<Cell> {
    @Override
    public int compareTo(Cell o) {
      int c = Long.compare(windowStart, o.windowStart);
      if (c == 0) {
        c = eventType.compareTo(o.eventType);
      }
      return c != 0 ? c : campaignId.compareTo(o.campaignId);
    }
  }

  private final Map<Cell, LongAdder> counts = new ConcurrentHashMap<>();
  private final LongAdder total = new LongAdder();
  // Events of requests that failed without a definite "not written" (a timeout, a 503 whose write
  // may still complete): the pipeline may count them or not.
  private final Map<Cell, LongAdder> uncertain = new ConcurrentHashMap<>();
  private final LongAdder retries = new LongAdder();

  public void add(Ysb.YsbEvent event) {
    increment(counts, event);
    total.increment();
  }

  /** An event whose request failed in a way that may still have written it. */
  public void addUncertain(Ysb.YsbEvent event) {
    increment(uncertain, event);
  }

  /** A request was sent again after a failure. */
  public void noteRetry() {
    retries.increment();
  }

  public long retries() {
    return retries.sum();
  }

  /** A sorted copy of the uncertain events' cells. */
  public Map<Cell, Long> uncertainSnapshot() {
    return copy(uncertain);
  }

  private static void increment(Map<Cell, LongAdder> map, Ysb.YsbEvent event) {
    map.computeIfAbsent(
            new Cell(event.windowStart(), event.eventType(), event.campaignId()),
            k -> new LongAdder())
        .increment();
  }

  public long total() {
    return total.sum();
  }

  /** A sorted copy. */
  public Map<Cell, Long> snapshot() {
    return copy(counts);
  }

  private static Map<Cell, Long> copy(Map<Cell, LongAdder> map) {
    Map<Cell, Long> copy = new TreeMap<>();
    map.forEach((cell, count) -> copy.put(cell, count.sum()));
    return copy;
  }
}
