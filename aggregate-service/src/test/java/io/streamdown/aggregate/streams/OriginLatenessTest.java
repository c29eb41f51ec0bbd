package io.streamdown.aggregate.streams;

import static io.streamdown.aggregate.streams.AggregateDriver.BASE;
import static io.streamdown.aggregate.streams.AggregateDriver.event;
import static org.assertj.core.api.Assertions.assertThat;

import io.streamdown.schemas.AggregateKey;
import io.streamdown.schemas.EmitMode;
import io.streamdown.schemas.EnrichedEvent;
import io.streamdown.schemas.EnrichedKeying;
import io.streamdown.schemas.EventOrigin;
import io.streamdown.schemas.GroupKey;
import io.streamdown.schemas.ViewDefinition;
import io.streamdown.schemas.WindowAggregate;
import io.streamdown.schemas.WindowSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * A tumbling view's grace measured against the slowest origin ({@link LateEventFilter}): events
 * that enrich's tasks deliver unevenly into one partition, as while they catch up on a backlog,
 * are all aggregated; an event late for every origin is still dropped and counted.
 */
class OriginLatenessTest {

  private static final Duration MINUTE = Duration.ofMinutes(1);
  private static final ViewDefinition VIEW =
      new ViewDefinition(
          "by-type",
          List.of("type"),
          WindowSpec.tumbling(MINUTE),
          Duration.ofSeconds(10),
          EmitMode.UPDATES,
          null);
  private static final EnrichedKeying KEYING =
      EnrichedKeying.of(EnrichedKeying.Mode.FIRST_VIEW, List.of(VIEW)).orElseThrow();

  private static final class Sender {
    final AggregateDriver driver;
    final boolean keyedByEnrich;
    int sent;

    Sender(AggregateDriver driver, boolean keyedByEnrich) {
      this.driver = driver;
      this.keyedByEnrich = keyedByEnrich;
    }

    /** An event from enrich's task of {@code origin}, keyed as enrich keys it, or by source. */
    void send(int origin, long offsetMs) {
      EnrichedEvent event = event("temp", "src-" + origin + "-" + sent++, BASE + offsetMs, 1.0);
      Headers headers = new RecordHeaders();
      EventOrigin.mark(headers, origin);
      if (keyedByEnrich) {
        KEYING.mark(headers);
        driver.send(GroupKey.of("temp").encode(), event, headers);
      } else {
        driver.send(event.event().source(), event, headers);
      }
    }

    /** Three minutes of events of {@code origin}, one every 10 s, in order. */
    void sendThreeMinutes(int origin) {
      for (long at = 0; at < 180_000; at += 10_000) {
        send(origin, at);
      }
    }
  }

  private static long count(Map<AggregateKey, WindowAggregate> latest, long windowOffsetMs) {
    WindowAggregate aggregate =
        latest.get(new AggregateKey("by-type", List.of("temp"), BASE + windowOffsetMs));
    return aggregate == null ? 0 : aggregate.count();
  }

  /** Two senders' three minutes each: nothing late, and all twelve events of every minute. */
  private static void assertBothThreeMinutesCounted(AggregateDriver driver) {
    assertThat(driver.listener.lateCount("by-type")).isZero();
    Map<AggregateKey, WindowAggregate> latest = AggregateDriver.latest(driver.readAggregates());
    for (long minute = 0; minute < 180_000; minute += 60_000) {
      assertThat(count(latest, minute)).as("window at %d ms", minute).isEqualTo(12);
    }
  }

  @ParameterizedTest(name = "keyed by enrich: {0}")
  @ValueSource(booleans = {true, false})
  void aSlowOriginsEventsAreAggregatedAfterAFastOnesAndAnEventLateForAllIsDropped(
      boolean keyedByEnrich) {
    try (AggregateDriver driver = new AggregateDriver(VIEW)) {
      Sender sender = new Sender(driver, keyedByEnrich);
      // Origin 0 catches up three minutes before origin 1 delivers anything of the same span:
      // against the newest event (Kafka's stream time) origin 1's first two minutes are late.
      sender.sendThreeMinutes(0);
      sender.sendThreeMinutes(1);
      assertBothThreeMinutesCounted(driver);

      // Both origins are at 170 s: the first window [0, 60 s) closed at 70 s for each of them.
      sender.send(1, 30_000);
      assertThat(driver.listener.lateCount("by-type")).isEqualTo(1);
      assertThat(driver.readAggregates()).isEmpty();
      // The last window is open for both: within grace.
      sender.send(0, 125_000);
      assertThat(driver.listener.lateCount("by-type")).isEqualTo(1);
      assertThat(count(AggregateDriver.latest(driver.readAggregates()), 120_000))
          .isEqualTo(13);
      assertThat(driver.kafkaDroppedRecords()).isZero();
    }
  }

  @Test
  void oneRawPartitionsEventsAlongTwoPathsAreTwoOrigins() {
    try (AggregateDriver driver = new AggregateDriver(VIEW)) {
      // Raw partition 0's events reach the view's task along enrich's short path (keyed by
      // group) and through the repartition topic (keyed by source): each path in order, the two
      // unevenly, as when the tasks that regroup them run behind.
      Sender direct = new Sender(driver, true);
      Sender regrouped = new Sender(driver, false);
      direct.sendThreeMinutes(0);
      regrouped.sendThreeMinutes(0);
      assertBothThreeMinutesCounted(driver);
    }
  }

  @Test
  void anOriginThatFellSilentStopsHoldingWindowsOpenAfterTheConfiguredTime() {
    Duration idle = Duration.ofSeconds(40);
    try (AggregateDriver driver = new AggregateDriver(idle, VIEW)) {
      Sender sender = new Sender(driver, true);
      sender.send(1, 0);
      sender.send(0, 200_000);
      // Late for origin 0 itself, but origin 1 is still at 0 s.
      sender.send(0, 30_000);
      driver.advanceWallClock(idle.minusMillis(1));
      sender.send(0, 35_000);
      assertThat(driver.listener.lateCount("by-type")).isZero();

      driver.advanceWallClock(Duration.ofMillis(1));
      sender.send(0, 210_000);
      sender.send(0, 40_000);
      assertThat(driver.listener.lateCount("by-type")).isEqualTo(1);
      Map<AggregateKey, WindowAggregate> latest = AggregateDriver.latest(driver.readAggregates());
      assertThat(count(latest, 0)).isEqualTo(3);
    }
  }

  @Test
  void onlyAViewThatTellsOriginsApartNotesWhereItRegroupedFrom() {
    ViewDefinition hopping =
        new ViewDefinition(
            "hopping", List.of("type"), WindowSpec.hopping(Duration.ofMinutes(5), MINUTE),
            Duration.ofSeconds(10), EmitMode.UPDATES, null);
    try (AggregateDriver driver =
        new AggregateDriver(EnrichedKeying.Mode.SOURCE, VIEW, hopping)) {
      String description = driver.topology.describe().toString();
      assertThat(description)
          .contains(new ViewNames("by-type").regroupOrigin())
          .doesNotContain(new ViewNames("hopping").regroupOrigin());
    }
  }

  @Test
  void onlyTumblingViewsThatEmitUpdatesLeaveTheirGraceToTheFilter() {
    assertThat(ViewWindows.of(VIEW).gracePeriodMs())
        .isEqualTo(Duration.ofDays(1).minus(MINUTE).toMillis());
    ViewDefinition finalResults =
        new ViewDefinition(
            "final", List.of("type"), WindowSpec.tumbling(MINUTE), Duration.ofSeconds(10),
            EmitMode.FINAL, null);
    assertThat(ViewWindows.of(finalResults).gracePeriodMs()).isEqualTo(10_000);
    ViewDefinition hopping =
        new ViewDefinition(
            "hopping", List.of("type"), WindowSpec.hopping(Duration.ofMinutes(5), MINUTE),
            Duration.ofSeconds(10), EmitMode.UPDATES, null);
    assertThat(ViewWindows.of(hopping).gracePeriodMs()).isEqualTo(10_000);
  }
}
