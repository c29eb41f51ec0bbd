package io.streamdown.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WindowAggregateTest {

  private static final Map<String, String> GROUP = Map.of("type", "temp");

  @Test
  void addsEventsExactly() {
    WindowAggregate aggregate =
        WindowAggregate.empty("v", GROUP, 0, 60_000)
            .plus(event(1_000, 3.0))
            .plus(event(2_000, -1.5))
            .plus(event(500, null))
            .plus(event(1_500, 10.0));

    assertThat(aggregate.count()).isEqualTo(4);
    assertThat(aggregate.valueCount()).isEqualTo(3);
    assertThat(aggregate.sum()).isEqualTo(11.5);
    assertThat(aggregate.min()).isEqualTo(-1.5);
    assertThat(aggregate.max()).isEqualTo(10.0);
    assertThat(aggregate.mean()).isCloseTo(11.5 / 3, within(1e-12));
    assertThat(aggregate.firstEventTime()).isEqualTo(500);
    assertThat(aggregate.lastEventTime()).isEqualTo(2_000);
    assertThat(aggregate.lastIngestTime()).isEqualTo(2_000 + 7);
  }

  @Test
  void windowWithoutValuesHasNoStatistics() {
    WindowAggregate aggregate = WindowAggregate.empty("v", GROUP, 0, 1).plus(event(0, null));

    assertThat(aggregate.count()).isEqualTo(1);
    assertThat(aggregate.mean()).isNull();
    assertThat(aggregate.min()).isNull();
    assertThat(aggregate.quantile(0.5)).isNull();
  }

  @Test
  void quantilesStayWithinTheSketchAccuracy() {
    double[] values = lognormal(new Random(42), 20_000);
    WindowAggregate aggregate = aggregateOf(values, 0, values.length);

    for (double q : new double[] {0.5, 0.9, 0.99}) {
      double exact = exactQuantile(values, q);
      assertThat(aggregate.quantile(q))
          .as("p%s", q * 100)
          .isCloseTo(exact, within(exact * QuantileSketches.RELATIVE_ACCURACY));
    }
  }

  @Test
  void mergedQuantilesAreThoseOfTheUnion() {
    double[] values = lognormal(new Random(7), 10_000);
    // Two windows with different distributions: averaging their p99s would be far off.
    for (int i = 0; i < 5_000; i++) {
      values[i] *= 100;
    }
    WindowAggregate first = aggregateOf(values, 0, 5_000);
    WindowAggregate second = aggregateOf(values, 5_000, 10_000);

    WindowAggregate merged = first.merge(second);

    assertThat(merged.count()).isEqualTo(10_000);
    assertThat(merged.sum()).isCloseTo(Arrays.stream(values).sum(), within(1e-6));
    assertThat(merged.min()).isEqualTo(Arrays.stream(values).min().orElseThrow());
    assertThat(merged.max()).isEqualTo(Arrays.stream(values).max().orElseThrow());
    for (double q : new double[] {0.5, 0.9, 0.99}) {
      double exact = exactQuantile(values, q);
      assertThat(merged.quantile(q))
          .as("p%s", q * 100)
          .isCloseTo(exact, within(exact * QuantileSketches.RELATIVE_ACCURACY));
    }
  }

  @Test
  void quantilesNeverLeaveTheRangeOfTheValues() {
    WindowAggregate single = WindowAggregate.empty("v", GROUP, 0, 1).plus(event(0, 5.0));
    WindowAggregate three =
        WindowAggregate.empty("v", GROUP, 0, 1)
            .plus(event(0, 71.5))
            .plus(event(1, 72.0))
            .plus(event(2, 73.0));

    assertThat(single.quantile(0.5)).isEqualTo(5.0);
    assertThat(single.quantile(0.99)).isEqualTo(5.0);
    for (double q : new double[] {0.0, 0.5, 0.99, 1.0}) {
      assertThat(three.quantile(q)).isBetween(71.5, 73.0);
    }
  }

  @Test
  void negativeValuesAndZeroAreSketched() {
    double[] values = new double[1001];
    for (int i = 0; i < values.length; i++) {
      values[i] = i - 500; // -500 .. 500
    }
    WindowAggregate aggregate = aggregateOf(values, 0, values.length);

    assertThat(aggregate.quantile(0.5)).isCloseTo(0.0, within(1e-9));
    assertThat(aggregate.quantile(0.0)).isCloseTo(-500.0, within(5.0));
    assertThat(aggregate.quantile(0.9)).isCloseTo(400.0, within(4.0));
  }

  @Test
  void jsonRoundTripKeepsTheSketch() {
    WindowAggregate aggregate = aggregateOf(lognormal(new Random(1), 100), 0, 100);

    WindowAggregate read = Json.read(Json.write(aggregate), WindowAggregate.class);

    assertThat(read.count()).isEqualTo(aggregate.count());
    assertThat(read.group()).isEqualTo(aggregate.group());
    assertThat(read.sketch()).isEqualTo(aggregate.sketch());
    assertThat(read.quantile(0.9)).isEqualTo(aggregate.quantile(0.9));
    assertThat(Json.MAPPER.readTree(Json.write(aggregate)).get("mean").asDouble())
        .isCloseTo(aggregate.mean(), within(1e-9));
  }

  private static WindowAggregate aggregateOf(double[] values, int from, int to) {
    WindowAggregate aggregate = WindowAggregate.empty("v", GROUP, 0, 60_000);
    for (int i = from; i < to; i++) {
      aggregate = aggregate.plus(event(i, values[i]));
    }
    return aggregate;
  }

  private static Event event(long time, Double value) {
    return new Event("id-" + time, "dev", "temp", time, value, null, time + 7);
  }

  private static double[] lognormal(Random random, int n) {
    double[] values = new double[n];
    for (int i = 0; i < n; i++) {
      values[i] = Math.exp(random.nextGaussian() * 1.5 + 3);
    }
    return values;
  }

  /** The quantile as DDSketch defines it: the value of rank floor(q * (n - 1)). */
  static double exactQuantile(double[] values, double q) {
    List<Double> sorted = new ArrayList<>();
    for (double v : values) {
      sorted.add(v);
    }
    sorted.sort(Double::compare);
    return sorted.get((int) Math.floor(q * (sorted.size() - 1)));
  }
}
