package io.streamdown.query.api;

import io.streamdown.query.query.Rollup;
import io.streamdown.schemas.WindowAggregate;
import java.util.Map;

/**
 * {@code GET /api/v1/views/{view}/rollup}: one group's windows starting in [from, to] merged into
 * one aggregate. {@code windows} says how many were merged; a range without windows gives
 * count 0 and null statistics.
 */
record RollupResponse(
    String view,
    Map<String, String> key,
    String from,
    String to,
    int windows,
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
    String lastEventTime,
    ServedBy servedBy) {

  static RollupResponse of(
      String view,
      Map<String, String> key,
      long from,
      long to,
      Rollup rollup,
      ServedBy servedBy) {
    WindowAggregate total = rollup.total();
    if (total == null) {
      return new RollupResponse(
          view, key, Times.format(from), Times.format(to), 0, 0, 0, 0.0, null, null, null, null,
          null, null, null, null, servedBy);
    }
    Quantiles quantiles = Quantiles.of(total);
    return new RollupResponse(
        view,
        key,
        Times.format(from),
        Times.format(to),
        rollup.windows(),
        total.count(),
        total.valueCount(),
        total.sum(),
        total.min(),
        total.max(),
        total.mean(),
        quantiles.p50(),
        quantiles.p90(),
        quantiles.p99(),
        Times.formatEventTime(total.firstEventTime()),
        Times.formatEventTime(total.lastEventTime()),
        servedBy);
  }
}
