package io.streamdown.aggregate.streams;

import io.streamdown.schemas.ViewDefinition;

/**
 * Kafka Streams' rule for dropping a record from a time-windowed aggregation, restated so that
 * late events can be counted per view (Kafka counts them only in the task-level
 * {@code dropped-records} metric, mixed with other causes).
 *
 * <p>In kafka-streams 4.2 ({@code KStreamWindowAggregate}'s processor) each record first raises
 * the processor's observed stream time: {@code observed = max(observed, timestamp)}, starting at
 * -1 and held in memory per processor instance. Then {@code closeTime = observed - grace}, and
 * each window of {@code TimeWindows.windowsFor(timestamp)} is updated if
 * {@code windowEnd > closeTime}, otherwise skipped and counted as one dropped record. The latest
 * window containing {@code t} starts at {@code t - t % advance} (advance = size for tumbling
 * windows) and ends {@code size} later; every other window containing {@code t} ends earlier.
 * So a record is dropped from every one of its windows exactly when
 * {@code t - t % advance + size <= observed - grace}: that is what this class calls late.
 *
 * <p>A hopping-window record can also be <em>partially</em> late: its older windows closed, its
 * newer ones open. It still counts in the windows that are open, so it is not late here, while
 * Kafka's metric counts one drop per closed window.
 *
 * <p>Sliding windows ({@code KStreamSlidingWindowAggregate}) use the same observed stream time and
 * {@code closeTime}, and drop a record (once) when {@code t + timeDifference < closeTime}: the
 * latest window containing {@code t} is {@code [t, t + timeDifference]}, both ends inclusive.
 * With an exclusive end that is a window of size {@code timeDifference + 1} that can start at any
 * millisecond, so the rule above with {@code size = timeDifference + 1} and {@code advance = 1}
 * is Kafka's rule for dropping a sliding-window record. Like a hopping record, a sliding record
 * that passes this check can still miss some (in a sparse stream, all) of its windows because
 * they closed: Kafka skips those one by one and counts each in {@code dropped-records}, while
 * this rule does not call the record late. Sessions need the session store: see
 * {@link SessionLateEventCounter}.
 */
public final class LateEventRule {

  private final long sizeMs;
  private final long advanceMs;
  private final long graceMs;

  LateEventRule(long sizeMs, long advanceMs, long graceMs) {
    if (sizeMs <= 0 || advanceMs <= 0 || advanceMs > sizeMs || graceMs < 0) {
      throw new IllegalArgumentException("invalid window: size, advance and grace");
    }
    this.sizeMs = sizeMs;
    this.advanceMs = advanceMs;
    this.graceMs = graceMs;
  }

  /** The rule of a tumbling, hopping or sliding view. */
  public static LateEventRule of(ViewDefinition view) {
    long graceMs = view.grace().toMillis();
    return switch (view.window().type()) {
      case TUMBLING, HOPPING ->
          new LateEventRule(
              view.window().size().toMillis(), view.window().advance().toMillis(), graceMs);
      case SLIDING -> new LateEventRule(view.window().size().toMillis() + 1, 1, graceMs);
      case SESSION ->
          throw new IllegalArgumentException(
              "a session view's late events depend on its sessions: see SessionLateEventCounter");
    };
  }

  /**
   * Kafka's rule for a tumbling view's aggregation when it runs with the grace of {@link
   * ViewWindows#storeGrace} (see {@link LateEventFilter}).
   */
  static LateEventRule ofStore(ViewDefinition view) {
    long sizeMs = view.window().size().toMillis();
    return new LateEventRule(sizeMs, sizeMs, ViewWindows.storeGrace(view).toMillis());
  }

  /** The end (exclusive) of the latest window that contains {@code timestamp} (>= 0). */
  public long latestWindowEnd(long timestamp) {
    return timestamp - timestamp % advanceMs + sizeMs;
  }

  /**
   * Whether a record is dropped from all its windows.
   *
   * @param timestamp the record's timestamp
   * @param observedStreamTime the observed stream time, already raised by this record
   */
  public boolean isLate(long timestamp, long observedStreamTime) {
    return latestWindowEnd(timestamp) <= observedStreamTime - graceMs;
  }
}
