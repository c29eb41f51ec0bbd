package io.streamdown.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamdown.local.Service;
import io.streamdown.local.StackLauncher;
import io.streamdown.schemas.TopicCatalog;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The benchmark's own correctness check at a tiny size, so the harness cannot rot: the stack as
 * {@code ./streamdown bench} starts it (YSB view only), a short open-loop YSB load through ingest,
 * and every window's counts per (event type, campaign) through the query API equal the offline
 * count.
 */
class YsbCorrectnessIT {

  private static StackLauncher stack;
  private static StackClient client;

  @BeforeAll
  static void startStack() throws Exception {
    Path data = ItDirs.newDataDir("ysb-it-");
    stack =
        new StackLauncher(
                BenchStack.options(
                    ItDirs.home(), data, TopicCatalog.DEFAULT_PARTITIONS, List.of(), List.of()))
            .onProgress(line -> System.out.println("[stack] " + line));
    stack.start();
    client =
        new StackClient(
            URI.create("http://localhost:" + stack.service(Service.INGEST).ports().http()),
            URI.create("http://localhost:" + stack.service(Service.QUERY).ports().http()));
  }

  @AfterAll
  static void stopStack() {
    if (client != null) {
      client.close();
    }
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void theQueryApiServesExactlyTheOfflineYsbCounts() {
    Ysb ysb = new Ysb(42);
    client.putReferences(ysb.referenceBodies());
    assertThat(client.hasYsbView()).isTrue();
    YsbCounts counts = new YsbCounts();

    OpenLoop.Result batches =
        YsbLoad.run(
            "it-batch",
            client,
            ysb,
            counts,
            600,
            20,
            Duration.ofSeconds(3),
            16,
            System.out::println);
    OpenLoop.Result singles =
        YsbLoad.run(
            "it-single",
            client,
            ysb,
            counts,
            50,
            1,
            Duration.ofSeconds(2),
            16,
            System.out::println);

    assertThat(batches.failed()).isZero();
    assertThat(singles.failed()).isZero();
    // Every POST sent was answered and counted. How many were sent depends on the machine: the
    // open loop drops what it could not send within its phase (a cold stack on a busy machine
    // once left 5 of 90 batches unsent), so the check covers what was sent, not 1,900 events.
    assertThat(batches.succeeded()).isEqualTo(batches.scheduled()).isPositive();
    assertThat(singles.succeeded()).isEqualTo(singles.scheduled()).isPositive();
    assertThat(batches.items()).isEqualTo(batches.succeeded() * 20);
    assertThat(counts.total()).isEqualTo(batches.items() + singles.items());

    YsbCheck.Outcome outcome = YsbCheck.await(client, counts, Duration.ofSeconds(120));
    assertThat(outcome.mismatches()).isEmpty();
    assertThat(outcome.correct()).isTrue();
    assertThat(outcome.events()).isEqualTo(counts.total());

    // The check is not vacuous: one event more in one cell is a mismatch.
    Map<YsbCounts.Cell, Long> wrong = new TreeMap<>(counts.snapshot());
    YsbCounts.Cell first = wrong.keySet().iterator().next();
    wrong.merge(first, 1L, Long::sum);
    YsbCheck.Outcome detected = YsbCheck.compare(client, wrong, Map.of());
    assertThat(detected.correct()).isFalse();
    assertThat(detected.mismatches()).hasSize(1);
    assertThat(detected.mismatches().get(0)).contains(first.eventType() + "/" + first.campaignId());

    // An event of a request that failed may be counted or not: one event fewer expected in a cell
    // is fine when that cell has one uncertain event, and a mismatch when it has none.
    Map<YsbCounts.Cell, Long> short1 = new TreeMap<>(counts.snapshot());
    short1.merge(first, -1L, Long::sum);
    assertThat(YsbCheck.compare(client, short1, Map.of(first, 1L)).correct()).isTrue();
    YsbCounts.Cell other = short1.keySet().stream().skip(1).findFirst().orElseThrow();
    YsbCheck.Outcome elsewhere = YsbCheck.compare(client, short1, Map.of(other, 1L));
    assertThat(elsewhere.correct()).isFalse();
    assertThat(elsewhere.uncertainEvents()).isEqualTo(1);
  }

  @Test
  void everyFreshnessMarkerIsTracedOnEveryHopItTakesAndSkipsTheRepartitionTopic() {
    String bootstrap = stack.bootstrapServers();
    List<MarkerTrail.Hop> hops =
        BenchMain.markerHops(bootstrap, stack.options().topicCatalog().prefix());
    assertThat(hops).allMatch(hop -> !hop.topics().isEmpty());

    Map<String, URI> prometheus = new LinkedHashMap<>();
    for (Service service : List.of(Service.ENRICH, Service.AGGREGATE)) {
      prometheus.put(service.moduleName(), stack.service(service).urls().prometheus());
    }
    Map<String, CommitCosts.Sample> commitsBefore = CommitCosts.read(prometheus);
    long before = System.currentTimeMillis();
    Freshness.Result result;
    try (MarkerTrail trail = MarkerTrail.start(bootstrap, hops)) {
      result =
          Freshness.measure(client, Duration.ofSeconds(2), 0, trail, System.out::println);
    }
    long after = System.currentTimeMillis();
    // The stages committed transactions while the markers ran, and the counters W3 reads say so.
    List<CommitCosts.Cost> commits =
        CommitCosts.between(
            commitsBefore, CommitCosts.read(prometheus), Duration.ofMillis(after - before));
    assertThat(commits)
        .extracting(CommitCosts.Cost::service)
        .containsExactly("enrich-service", "aggregate-service");
    assertThat(commits)
        .allSatisfy(
            cost -> {
              assertThat(cost.perSecond()).isPositive();
              assertThat(cost.offsetsMillis()).isPositive();
              assertThat(cost.endTxnMillis()).isPositive();
            });

    assertThat(result.missed()).isZero();
    long visible = result.millis().getTotalCount();
    assertThat(visible).isEqualTo(result.sent()).isGreaterThanOrEqualTo(5);
    // Enrich keys events.enriched by ysb's groups, so no marker takes the repartition topic.
    assertThat(hops).filteredOn(MarkerTrail.Hop::optional).extracting(MarkerTrail.Hop::name)
        .containsExactly("repartition");
    assertThat(result.steps().keySet())
        .containsExactly(
            "202 → events.raw",
            "events.raw → events.enriched",
            "events.enriched → aggregates",
            "aggregates → query");
    assertThat(result.steps().values()).allMatch(step -> step.getTotalCount() == visible);
    // Each marker's own timeline: seen on every hop but the repartition topic, by wall clock.
    int repartition =
        hops.indexOf(hops.stream().filter(MarkerTrail.Hop::optional).findFirst().orElseThrow());
    assertThat(result.timelines()).hasSize((int) visible);
    for (Freshness.Timeline timeline : result.timelines()) {
      assertThat(timeline.acceptedEpochMillis()).isBetween(before, after);
      for (int hop = 0; hop < hops.size(); hop++) {
        if (hop == repartition) {
          assertThat(timeline.hopMillis()[hop]).as(timeline.marker()).isEqualTo(-1);
        } else {
          assertThat(timeline.hopMillis()[hop]).as(timeline.marker()).isNotNegative();
        }
      }
    }
  }

  @Test
  void theFreshnessWarmupFollowsItsMarkersOverEveryHopAndStopsWhenClosed() {
    String bootstrap = stack.bootstrapServers();
    List<MarkerTrail.Hop> hops =
        BenchMain.markerHops(bootstrap, stack.options().topicCatalog().prefix());

    FreshnessWarmup warmup =
        FreshnessWarmup.start(client, bootstrap, hops, Duration.ofSeconds(2));
    warmup.close();

    Freshness.Result result = warmup.result();
    assertThat(result).isNotNull();
    assertThat(result.missed()).isZero();
    assertThat(result.millis().getTotalCount()).isEqualTo(result.sent()).isGreaterThanOrEqualTo(5);
    assertThat(result.steps().values())
        .allMatch(step -> step.getTotalCount() == result.millis().getTotalCount());
    assertThat(Thread.getAllStackTraces().keySet())
        .noneMatch(t -> t.getName().equals("w3-warmup") || t.getName().equals("w3-marker-trail"));
  }

  /**
   * A catch-up across windows, as W5 with {@code --w5-span}: enrich and aggregate are stopped, a
   * backlog whose event times span ten minutes goes to {@code events.raw}, and the stages,
   * started again, drain it. Enrich's tasks drain their partitions unevenly, so each partition of
   * {@code events.enriched} gets events minutes apart out of order; measured against the newest
   * event, as Kafka Streams' stream time does, most of them were dropped as later than the view's
   * 30 s grace. Every one must be counted.
   */
  @Test
  void aBacklogSpanningTenMinutesOfEventTimeIsCountedExactlyWhenTheStagesCatchUp() {
    Ysb ysb = new Ysb(11);
    client.putReferences(ysb.referenceBodies());
    YsbCounts expected = new YsbCounts();
    stack.stopService(Service.ENRICH);
    stack.stopService(Service.AGGREGATE);
    long events = 30_000;
    try (YsbBacklog backlog =
        new YsbBacklog(
            stack.bootstrapServers(), stack.options().topicCatalog().eventsRaw().name())) {
      backlog.write(
          ysb,
          events,
          BenchMain.w5FirstEventTime(System.currentTimeMillis()),
          Duration.ofMinutes(10),
          expected,
          System.out::println);
    }
    stack.startService(Service.AGGREGATE);
    stack.startService(Service.ENRICH);

    YsbCheck.Outcome outcome = YsbCheck.await(client, expected, Duration.ofSeconds(180));
    assertThat(outcome.mismatches()).isEmpty();
    assertThat(outcome.correct()).isTrue();
    assertThat(outcome.events()).isEqualTo(events);
    assertThat(outcome.windows()).isEqualTo(60);
  }

  @Test
  void aSustainedRateStepSamplesTheRealBacklogWhileTheLoadRuns() {
    Ysb ysb = new Ysb(7);
    client.putReferences(ysb.referenceBodies());
    YsbCounts counts = new YsbCounts();

    SustainedRate.Step step =
        SustainedRate.step(
            "it-sustained",
            client,
            ysb,
            counts,
            400,
            Duration.ofSeconds(6),
            Duration.ofSeconds(2),
            16);

    assertThat(step.failed()).isZero();
    assertThat(step.offered()).isEqualTo(400);
    assertThat(step.accepted()).isGreaterThan(0.9 * 400);
    assertThat(step.samples()).isGreaterThanOrEqualTo(3);
    assertThat(step.growthPerSecond()).isFinite();
    assertThat(step.finalBacklog()).isBetween(0L, counts.total());
    // What the step counted as visible is the query API's count: once the load has stopped, the
    // backlog drains to nothing.
    VisibleEvents visible = VisibleEvents.of(client);
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> visible.count(VisibleEvents.acceptedPerWindow(counts)) == counts.total());
    assertThat(counts.total()).isGreaterThan(1000);
  }
}
