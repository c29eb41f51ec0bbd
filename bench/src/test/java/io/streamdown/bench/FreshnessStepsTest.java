package io.streamdown.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class FreshnessStepsTest {

  private static final long MS = 1_000_000L;

  private final List<MarkerTrail.Hop> hops =
      List.of(new MarkerTrail.Hop("raw", List.of("r")), new MarkerTrail.Hop("enriched", List.of("e")));

  /** raw, an optional repartition hop, aggregates. */
  private final List<MarkerTrail.Hop> withOptional =
      List.of(
          new MarkerTrail.Hop("raw", List.of("r")),
          new MarkerTrail.Hop("repartition", List.of("p"), true),
          new MarkerTrail.Hop("aggregates", List.of("a")));

  private final Map<String, Histogram> steps = new LinkedHashMap<>();

  @Test
  void recordsTheTimeBetweenConsecutiveSightingsFromThe202ToTheQuery() {
    Freshness.recordSteps(steps, hops, 1_000 * MS, new long[] {1_010 * MS, 1_150 * MS}, 1_400 * MS);

    assertThat(steps.keySet())
        .containsExactly("202 → raw", "raw → enriched", "enriched → query");
    assertThat(steps.get("202 → raw").getMaxValue()).isEqualTo(10);
    assertThat(steps.get("raw → enriched").getMaxValue()).isEqualTo(140);
    assertThat(steps.get("enriched → query").getMaxValue()).isEqualTo(250);
  }

  @Test
  void aHopWithoutTopicsIsLeftOut() {
    assertThat(
            MarkerTrail.withTopics(
                    List.of(
                        new MarkerTrail.Hop("raw", List.of("r")),
                        new MarkerTrail.Hop("repartition", List.of()),
                        new MarkerTrail.Hop("aggregates", List.of("a"))))
                .stream()
                .map(MarkerTrail.Hop::name))
        .containsExactly("raw", "aggregates");
  }

  @Test
  void anOptionalHopTheMarkerSkippedJoinsItsNeighboursIntoOneStep() {
    Freshness.recordSteps(
        steps, withOptional, 1_000 * MS, new long[] {1_010 * MS, 0, 1_200 * MS}, 1_300 * MS);

    assertThat(steps.keySet())
        .containsExactly("202 → raw", "raw → aggregates", "aggregates → query");
    assertThat(steps.get("raw → aggregates").getMaxValue()).isEqualTo(190);
  }

  @Test
  void anOptionalHopTheMarkerTookIsAStepOfItsOwn() {
    Freshness.recordSteps(
        steps,
        withOptional,
        1_000 * MS,
        new long[] {1_010 * MS, 1_100 * MS, 1_200 * MS},
        1_300 * MS);

    assertThat(steps.keySet())
        .containsExactly(
            "202 → raw", "raw → repartition", "repartition → aggregates", "aggregates → query");
    assertThat(steps.get("repartition → aggregates").getMaxValue()).isEqualTo(100);
  }

  @Test
  void aFirstHopBeforeThe202CountsZeroAndTheNextStepStartsFromTheSighting() {
    Freshness.recordSteps(steps, hops, 1_000 * MS, new long[] {995 * MS, 1_095 * MS}, 1_100 * MS);

    assertThat(steps.get("202 → raw").getMaxValue()).isZero();
    assertThat(steps.get("202 → raw").getTotalCount()).isEqualTo(1);
    assertThat(steps.get("raw → enriched").getMaxValue()).isEqualTo(100);
  }

  @Test
  void aMarkerARequiredHopHasNotSeenIsLeftOut() {
    Freshness.recordSteps(steps, hops, 1_000 * MS, new long[] {1_010 * MS, 0}, 1_400 * MS);
    Freshness.recordSteps(
        steps, withOptional, 1_000 * MS, new long[] {1_010 * MS, 1_100 * MS, 0}, 1_400 * MS);

    assertThat(steps).isEmpty();
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


  @Test
  void timelinesAreWrittenInTheOrderTheMarkersWereAcceptedWithAnEmptyCellForASkippedHop() {
    String csv =
        Freshness.timelinesCsv(
            withOptional,
            List.of(
                new Freshness.Timeline(
                    "marker-2", 1_700_000_000_400L, new long[] {3, -1, 180}, 201),
                new Freshness.Timeline(
                    "marker-1", 1_700_000_000_200L, new long[] {1, 90, 260}, 275)));

    assertThat(csv.lines())
        .containsExactly(
            "marker,accepted_epoch_ms,raw_ms,repartition_ms,aggregates_ms,query_ms",
            "marker-1,1700000000200,1,90,260,275",
            "marker-2,1700000000400,3,,180,201");
  }
}
