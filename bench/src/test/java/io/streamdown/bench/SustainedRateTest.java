package io.streamdown.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SustainedRateTest {

  /** A step of a pipeline that keeps up with at most {@code capacity} events/s. */
  private static SustainedRate.Step stepOf(double capacity, double rate) {
    double growth = Math.max(0, rate - capacity);
    return new SustainedRate.Step(rate, rate, 0, growth, (long) (rate * 0.5 + growth * 15), 15);
  }

  /** The rates a search offered, in order, and what it found. */
  private record Search(List<Double> offered, SustainedRate.Result result) {}

  /** Runs the search, from a drain rate of 10,000, against a pipeline of that capacity. */
  private static Search searchWith(double capacity) {
    List<Double> offered = new ArrayList<>();
    SustainedRate.Result result =
        SustainedRate.search(
            10_000,
            rate -> {
              offered.add(rate);
              return stepOf(capacity, rate);
            });
    return new Search(offered, result);
  }

  @Test
  void theSearchStartsAtHalfTheDrainAndGoesUpUntilAStepFallsBehind() {
    Search search = searchWith(7_500);

    // 5,000 … 8,000: the search stops at the first failure and does not try 9,000; then 7,500,
    // halfway between 7,000 and 8,000, keeps up too.
    assertThat(search.offered()).containsExactly(5_000.0, 6_000.0, 7_000.0, 8_000.0, 7_500.0);
    assertThat(search.result().steps().get(3).sustained()).isFalse();
    assertThat(search.result().rate()).isCloseTo(7_500, within(1e-6));
  }

  @Test
  void aFailedStepHalfwayLeavesTheLastStepThatKeptUp() {
    Search search = searchWith(7_050);

    assertThat(search.offered()).containsExactly(5_000.0, 6_000.0, 7_000.0, 8_000.0, 7_500.0);
    assertThat(search.result().steps().get(4).sustained()).isFalse();
    assertThat(search.result().rate()).isCloseTo(7_000, within(1e-6));
  }

  @Test
  void aPipelineThatFallsBehindAtHalfTheDrainIsSearchedDownwards() {
    Search search = searchWith(3_200);

    // 5,000 and 4,000 fall behind, 3,000 keeps up, 3,500 between them does not.
    assertThat(search.offered()).containsExactly(5_000.0, 4_000.0, 3_000.0, 3_500.0);
    assertThat(search.result().rate()).isCloseTo(3_000, within(1e-6));
  }

  @Test
  void aPipelineThatKeepsUpWithTheDrainRateEndsThere() {
    Search search = searchWith(20_000);

    assertThat(search.offered())
        .containsExactly(5_000.0, 6_000.0, 7_000.0, 8_000.0, 9_000.0, 10_000.0);
    assertThat(search.result().rate()).isCloseTo(10_000, within(1e-6));
  }

  @Test
  void noRateWhenEvenATenthOfTheDrainFellBehind() {
    Search search = searchWith(500);

    assertThat(search.offered()).containsExactly(5_000.0, 4_000.0, 3_000.0, 2_000.0, 1_000.0);
    assertThat(search.result().rate()).isNaN();
  }

  @Test
  void aStepKeepsUpOnlyIfIngestAcceptedTheLoadAndTheBacklogStayedSmallAndFlat() {
    assertThat(new SustainedRate.Step(1000, 1000, 0, 10, 500, 15).sustained()).isTrue();
    // Ingest fell short of the offered rate: the pipeline was not offered the load.
    assertThat(new SustainedRate.Step(1000, 900, 0, 10, 500, 15).sustained()).isFalse();
    assertThat(new SustainedRate.Step(1000, 1000, 3, 10, 500, 15).sustained()).isFalse();
    // The backlog grew by more than 5 % of the rate per second.
    assertThat(new SustainedRate.Step(1000, 1000, 0, 60, 500, 15).sustained()).isFalse();
    // Flat, but more than two seconds behind.
    assertThat(new SustainedRate.Step(1000, 1000, 0, 0, 2500, 15).sustained()).isFalse();
    // Too few samples to tell.
    assertThat(new SustainedRate.Step(1000, 1000, 0, 0, 100, 2).sustained()).isFalse();
  }

  @Test
  void slopeIsTheLeastSquaresGrowthPerSecond() {
    double[] seconds = {5, 6, 7, 8, 9};
    // 100 a second with a swing of ±40 around it, as commits make the backlog saw-toothed.
    double[] backlog = {540, 560, 740, 760, 940};
    assertThat(SustainedRate.slope(seconds, backlog)).isCloseTo(100, within(1e-9));
    assertThat(SustainedRate.slope(new double[] {1}, new double[] {5})).isNaN();
  }
}
