package io.streamdown.aggregate.streams;

import static io.streamdown.aggregate.streams.AggregateDriver.BASE;
import static io.streamdown.aggregate.streams.AggregateDriver.event;
import static org.assertj.core.api.Assertions.assertThat;

import io.streamdown.schemas.AggregateKey;
import io.streamdown.schemas.EmitMode;
import io.streamdown.schemas.QuantileSketches;
import io.streamdown.schemas.ViewDefinition;
import io.streamdown.schemas.WindowAggregate;
import io.streamdown.schemas.WindowSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Quantiles from the aggregates' sketches stay within the sketch's relative accuracy of the exact
 * quantiles, per window and after merging windows.
 */
class SketchAccuracyTest {

  private static final double[] QUANTILES = {0.0, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 1.0};
  private static final long MINUTE = Duration.ofMinutes(1).toMillis();

  @Test
  void windowQuantilesAndMergedQuantilesAreWithinOnePercentOfExact() {
    ViewDefinition view =
        new ViewDefinition(
            "latency",
            List.of("type"),
            WindowSpec.tumbling(Duration.ofMinutes(1)),
            Duration.ZERO,
            EmitMode.UPDATES,
            null);
    Random random = new Random(7);
    List<Double> first = new ArrayList<>();
    List<Double> second = new ArrayList<>();
    try (AggregateDriver driver = new AggregateDriver(view)) {
      for (int i = 0; i < 300; i++) {
        // Log-normal latencies spanning several orders of magnitude.
        double value = Math.exp(random.nextGaussian() * 1.5 + 3);
        first.add(value);
        driver.send(event("rpc", "s", BASE + (long) i * MINUTE / 300, value));
      }
      for (int i = 0; i < 400; i++) {
        double value = 50 + random.nextDouble() * 5_000;
        second.add(value);
        driver.send(event("rpc", "s", BASE + MINUTE + (long) i * MINUTE / 400, value));
      }
      Map<AggregateKey, WindowAggregate> latest =
          AggregateDriver.latest(driver.readAggregates());
      WindowAggregate a = latest.get(new AggregateKey("latency", List.of("rpc"), BASE));
      WindowAggregate b = latest.get(new AggregateKey("latency", List.of("rpc"), BASE + MINUTE));
      assertThat(a.valueCount()).isEqualTo(first.size());
      assertThat(b.valueCount()).isEqualTo(second.size());

      assertQuantilesClose(a, first);
      assertQuantilesClose(b, second);

      List<Double> union = new ArrayList<>(first);
      union.addAll(second);
      WindowAggregate merged = a.merge(b);
      assertThat(merged.count()).isEqualTo(union.size());
      assertThat(merged.min()).isEqualTo(union.stream().min(Double::compare).orElseThrow());
      assertThat(merged.max()).isEqualTo(union.stream().max(Double::compare).orElseThrow());
      assertThat(merged.windowStart()).isEqualTo(BASE);
      assertThat(merged.windowEnd()).isEqualTo(BASE + 2 * MINUTE);
      assertQuantilesClose(merged, union);
    }
  }

  private static void assertQuantilesClose(WindowAggregate aggregate, List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    for (double q : QUANTILES) {
      // The sketch answers with the value of rank floor(q * (n - 1)), within its accuracy.
      double exact = sorted.get((int) Math.floor(q * (sorted.size() - 1)));
      double estimate = aggregate.quantile(q);
      assertThat(Math.abs(estimate - exact))
          .as("quantile %s: estimate %s, exact %s", q, estimate, exact)
          .isLessThanOrEqualTo(QuantileSketches.RELATIVE_ACCURACY * Math.abs(exact) + 1e-9);
    }
  }
}
