package io.streamdown.query.api;

import com.datadoghq.sketch.ddsketch.DDSketch;
import io.streamdown.schemas.QuantileSketches;
import io.streamdown.schemas.WindowAggregate;

/** p50, p90 and p99 of an aggregate, from one decoding of its sketch; null when no values. */
record Quantiles(Double p50, Double p90, Double p99) {

  static Quantiles of(WindowAggregate aggregate) {
    if (aggregate.valueCount() == 0) {
      return new Quantiles(null, null, null);
    }
    DDSketch sketch = QuantileSketches.decode(aggregate.sketch());
    if (sketch.isEmpty()) {
      return new Quantiles(null, null, null);
    }
    return new Quantiles(
        sketch.getValueAtQuantile(0.5),
        sketch.getValueAtQuantile(0.9),
        sketch.getValueAtQuantile(0.99));
  }
}
