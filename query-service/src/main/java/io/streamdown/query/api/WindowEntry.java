package io.streamdown.query.api;

import io.streamdown.schemas.WindowAggregate;

/**
 * One window of a group. {@code start} inclusive, {@code end} exclusive; of a session, the times
 * of its first and last event (both inclusive); times RFC 3339. Value
 * statistics ({@code min} .. {@code p99}) cover the events that carried a value and are null
 * when none did; quantiles are within 1% (relative) of the exact value.
 */
record WindowEntry(
    String start,
    String end,
    long count,
    long valueCount,
    double sum,
    Double min,
    Double max,
    Double mean,
    Double p50,
    Double p90,
    Double p99,
    String firstEventTime,
    String lastEventTime) {

  static WindowEntry of(WindowAggregate aggregate) {
    Quantiles quantiles = Quantiles.of(aggregate);
    return new WindowEntry(
        Times.format(aggregate.windowStart()),
        Times.format(aggregate.windowEnd()),
        aggregate.count(),
        aggregate.valueCount(),
        aggregate.sum(),
        aggregate.min(),
        aggregate.max(),
        aggregate.mean(),
        quantiles.p50(),
        quantiles.p90(),
        quantiles.p99(),
        Times.formatEventTime(aggregate.firstEventTime()),
        Times.formatEventTime(aggregate.lastEventTime()));
  }
}
