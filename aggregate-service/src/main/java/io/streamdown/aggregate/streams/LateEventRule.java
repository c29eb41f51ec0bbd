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

  public static LateEventRule of(ViewDefinition view) {
    return new LateEventRule(
        view.window().size().toMillis(),
        view.window().advance().toMillis(),
        view.grace().toMillis());
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
