package io.streamdown.aggregate.streams;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * How far every origin of a task's records has progressed: per origin (a path along which the task
 * receives events in order: see {@link RegroupOrigin#originOf}) the newest timestamp seen, and
 * their minimum over the origins that are still active, the watermark. An origin that has sent
 * nothing for {@code idleMs} of wall-clock time stops holding the watermark back, so a partition
 * without traffic cannot keep every window open; the origin of the record being observed always
 * counts.
 *
 * <p>Held in memory per processor instance, like Kafka Streams' own stream time: after a restart
 * or a moved task the origins are learnt again from the records, and until then the watermark is
 * the minimum over those seen so far, which can only make it lower (more events accepted), never
 * higher.
 */
final class OriginWatermark {

  private static final class Origin {
    long newest;
    long lastSeenMs;

    Origin(long newest, long lastSeenMs) {
      this.newest = newest;
      this.lastSeenMs = lastSeenMs;
    }
  }

  private final long idleMs;
  private final Map<Long, Origin> origins = new HashMap<>();

  OriginWatermark(long idleMs) {
    if (idleMs <= 0) {
      throw new IllegalArgumentException("idleMs: must be positive, was " + idleMs);
    }
    this.idleMs = idleMs;
  }

  /**
   * Notes a record of {@code origin} at {@code timestamp}, seen at wall-clock time {@code nowMs},
   * and returns the watermark with it: the oldest of the active origins' newest timestamps.
   */
  long observe(long origin, long timestamp, long nowMs) {
    Origin own = origins.get(origin);
    if (own == null) {
      own = new Origin(timestamp, nowMs);
      origins.put(origin, own);
    } else {
      // Back from idle: it starts afresh, as if another origin's record had removed it first.
      boolean wasIdle = nowMs - own.lastSeenMs >= idleMs;
      own.newest = wasIdle ? timestamp : Math.max(own.newest, timestamp);
      own.lastSeenMs = nowMs;
    }
    long watermark = own.newest;
    Iterator<Origin> all = origins.values().iterator();
    while (all.hasNext()) {
      Origin other = all.next();
      if (nowMs - other.lastSeenMs >= idleMs) {
        all.remove(); // idle: it joins again with its next record
      } else if (other.newest < watermark) {
        watermark = other.newest;
      }
    }
    return watermark;
  }

  /** How many origins hold the watermark now (for tests and diagnostics). */
  int activeOrigins() {
    return origins.size();
  }
}
