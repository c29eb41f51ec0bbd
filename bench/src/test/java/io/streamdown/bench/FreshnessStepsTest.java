package io.streamdown.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class FreshnessStepsTest {

  private static final long MS = 1_000_000L;

  private final List<String> names =
      Freshness.stepNames(
          List.of(
              new MarkerTrail.Hop("raw", List.of("r")),
              new MarkerTrail.Hop("enriched", List.of("e"))));

  @Test
  void namesEveryStepFromThe202ToTheQuery() {
    assertThat(names).containsExactly("202 → raw", "raw → enriched", "enriched → query");
  }

  @Test
  void aHopWithoutTopicsIsNoStep() {
    List<MarkerTrail.Hop> hops =
        MarkerTrail.withTopics(
            List.of(
                new MarkerTrail.Hop("raw", List.of("r")),
                new MarkerTrail.Hop("repartition", List.of()),
                new MarkerTrail.Hop("aggregates", List.of("a"))));

    assertThat(Freshness.stepNames(hops))
        .containsExactly("202 → raw", "raw → aggregates", "aggregates → query");
  }

  @Test
  void recordsTheTimeBetweenConsecutiveSightings() {
    Map<String, Histogram> steps = histograms();
    Freshness.recordSteps(steps, names, 1_000 * MS, new long[] {1_010 * MS, 1_150 * MS}, 1_400 * MS);

    assertThat(steps.get("202 → raw").getMaxValue()).isEqualTo(10);
    assertThat(steps.get("raw → enriched").getMaxValue()).isEqualTo(140);
    assertThat(steps.get("enriched → query").getMaxValue()).isEqualTo(250);
  }

  @Test
  void aFirstHopBeforeThe202CountsZeroAndTheNextStepStartsFromTheSighting() {
    Map<String, Histogram> steps = histograms();
    Freshness.recordSteps(steps, names, 1_000 * MS, new long[] {995 * MS, 1_095 * MS}, 1_100 * MS);

    assertThat(steps.get("202 → raw").getMaxValue()).isZero();
    assertThat(steps.get("202 → raw").getTotalCount()).isEqualTo(1);
    assertThat(steps.get("raw → enriched").getMaxValue()).isEqualTo(100);
  }

  @Test
  void aMarkerAHopHasNotSeenIsLeftOut() {
    Map<String, Histogram> steps = histograms();
    Freshness.recordSteps(steps, names, 1_000 * MS, new long[] {1_010 * MS, 0}, 1_400 * MS);

    assertThat(steps.values()).allMatch(h -> h.getTotalCount() == 0);
  }

  @Test
  void asksInEveryRoundOnlyAboutMarkersThatReachedTheLastHop() {
    Map<String, Long> lastAsked = new java.util.HashMap<>();
    java.util.Set<String> arrived = new java.util.HashSet<>();

    assertThat(Freshness.shouldAsk(arrived::contains, "marker-1", lastAsked, 0)).isTrue();
    assertThat(Freshness.shouldAsk(arrived::contains, "marker-1", lastAsked, 5 * MS)).isFalse();
    assertThat(Freshness.shouldAsk(arrived::contains, "marker-1", lastAsked, 99 * MS)).isFalse();
    assertThat(Freshness.shouldAsk(arrived::contains, "marker-1", lastAsked, 100 * MS)).isTrue();
    arrived.add("marker-1");
    assertThat(Freshness.shouldAsk(arrived::contains, "marker-1", lastAsked, 105 * MS)).isTrue();
    assertThat(Freshness.shouldAsk(arrived::contains, "marker-1", lastAsked, 110 * MS)).isTrue();
  }

  private Map<String, Histogram> histograms() {
    Map<String, Histogram> steps = new LinkedHashMap<>();
    names.forEach(n -> steps.put(n, new Histogram(600_000L, 3)));
    return steps;
  }
}
