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

  @Test
  void theSearchKeepsTheHighestStepBeforeTheFirstThatFellBehind() {
    List<Double> offered = new ArrayList<>();
    SustainedRate.Result result =
        SustainedRate.search(
            10_000,
            rate -> {
              offered.add(rate);
              return stepOf(5_500, rate);
            });

    // 3,000 … 6,000: the search stops at the first failure and does not try 7,000; then 5,500,
    // halfway between 5,000 and 6,000, keeps up too.
    assertThat(offered).hasSize(5);
    assertThat(offered.get(3)).isCloseTo(6_000, within(1e-6));
    assertThat(result.steps().get(3).sustained()).isFalse();
    assertThat(offered.get(4)).isCloseTo(5_500, within(1e-6));
    assertThat(result.rate()).isCloseTo(5_500, within(1e-6));
  }

  @Test
  void aFailedStepHalfwayLeavesTheLastStepThatKeptUp() {
    SustainedRate.Result result = SustainedRate.search(10_000, rate -> stepOf(5_200, rate));

    assertThat(result.steps()).hasSize(5);
    assertThat(result.steps().get(4).offered()).isCloseTo(5_500, within(1e-6));
    assertThat(result.steps().get(4).sustained()).isFalse();
    assertThat(result.rate()).isCloseTo(5_000, within(1e-6));
  }

  @Test
  void noRateWhenEvenTheFirstStepFellBehind() {
    SustainedRate.Result result = SustainedRate.search(10_000, rate -> stepOf(1_000, rate));

    assertThat(result.rate()).isNaN();
    assertThat(result.steps()).hasSize(1);
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
