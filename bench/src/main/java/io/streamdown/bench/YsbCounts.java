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

  public void add(Ysb.YsbEvent event) {
    counts
        .computeIfAbsent(
            new Cell(event.windowStart(), event.eventType(), event.campaignId()),
            k -> new LongAdder())
        .increment();
    total.increment();
  }

  public long total() {
    return total.sum();
  }

  /** A sorted copy. */
  public Map<Cell, Long> snapshot() {
    Map<Cell, Long> copy = new TreeMap<>();
    counts.forEach((cell, count) -> copy.put(cell, count.sum()));
    return copy;
  }
}
