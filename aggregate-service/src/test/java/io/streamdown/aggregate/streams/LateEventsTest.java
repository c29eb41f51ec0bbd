package io.streamdown.aggregate.streams;

import static io.streamdown.aggregate.streams.AggregateDriver.BASE;
import static io.streamdown.aggregate.streams.AggregateDriver.event;
import static org.assertj.core.api.Assertions.assertThat;

import io.streamdown.schemas.AggregateKey;
import io.streamdown.schemas.EmitMode;
import io.streamdown.schemas.EnrichedEvent;
import io.streamdown.schemas.ViewDefinition;
import io.streamdown.schemas.WindowAggregate;
import io.streamdown.schemas.WindowSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.junit.jupiter.api.Test;

/**
 * Grace and late events: an event within grace is added, one past grace is dropped and counted
 * per view, by Kafka's rule where all events come from one origin (for several, see {@link
 * OriginLatenessTest}); a hopping view's count agrees with Kafka Streams' own {@code
 * dropped-records} metric.
 */
class LateEventsTest {

  private static final Duration MINUTE = Duration.ofMinutes(1);

  private static ViewDefinition tumbling(String name, Duration grace) {
    return new ViewDefinition(
        name, List.of("type"), WindowSpec.tumbling(MINUTE), grace, EmitMode.UPDATES, null);
  }

  @Test
  void eventWithinGraceIsAddedAndEventPastGraceIsDroppedAndCountedPerView() {
    ViewDefinition strict = tumbling("strict", Duration.ofSeconds(10));
    ViewDefinition lenient = tumbling("lenient", Duration.ofMinutes(1));
    try (AggregateDriver driver = new AggregateDriver(strict, lenient)) {
      driver.send(event("temp", "a", BASE + 30_000, 1.0));
      // Stream time 65 s: the first window [0, 60 s) closes at 60 s + grace.
      driver.send(event("temp", "a", BASE + 65_000, 1.0));
      EnrichedEvent withinGrace = event("temp", "b", BASE + 40_000, 1.0);
      driver.send(withinGrace);
      // Stream time 75 s: past the strict view's grace for the first window, not the lenient's.
      driver.send(event("temp", "a", BASE + 75_000, 1.0));
      EnrichedEvent pastGrace = event("temp", "c", BASE + 50_000, 1.0);
      driver.send(pastGrace);

      Map<AggregateKey, WindowAggregate> latest =
          AggregateDriver.latest(driver.readAggregates());
      WindowAggregate strictFirst = latest.get(new AggregateKey("strict", List.of("temp"), BASE));
      WindowAggregate lenientFirst =
          latest.get(new AggregateKey("lenient", List.of("temp"), BASE));
      assertThat(strictFirst.count()).isEqualTo(2);
      assertThat(strictFirst.lastEventTime()).isEqualTo(withinGrace.event().time());
      assertThat(lenientFirst.count()).isEqualTo(3);
      assertThat(lenientFirst.lastEventTime()).isEqualTo(pastGrace.event().time());

      assertThat(driver.listener.lateCount("strict")).isEqualTo(1);
      assertThat(driver.listener.lateCount("lenient")).isZero();
      // The late record never reached the aggregation: the view's late check dropped it, so
      // Kafka's own count (the driver runs both views in one task) has nothing to add.
      assertThat(driver.kafkaDroppedRecords()).isZero();
    }
  }

  @Test
  void lateCountFollowsKafkasRuleOverAnOutOfOrderStreamOfOneOrigin() {
    ViewDefinition view = tumbling("shuffled", Duration.ofSeconds(5));
    Random random = new Random(42);
    try (AggregateDriver driver = new AggregateDriver(view)) {
      long streamTime = BASE;
      long newest = Long.MIN_VALUE;
      int expectedLate = 0;
      for (int i = 0; i < 400; i++) {
        streamTime += random.nextInt(2_000);
        // Up to 30 s out of order: some within grace, some past it.
        long time = Math.max(BASE, streamTime - random.nextInt(30_000));
        driver.send(event("temp", "s" + i, time, 1.0));
        // One origin (no origin header): Kafka's rule, the newest time so far less the grace.
        newest = Math.max(newest, time);
        long windowEnd = time - Math.floorMod(time, MINUTE.toMillis()) + MINUTE.toMillis();
        if (windowEnd <= newest - 5_000) {
          expectedLate++;
        }
      }
      int late = driver.listener.lateCount("shuffled");
      assertThat(late).isPositive().isEqualTo(expectedLate);
      assertThat(driver.kafkaDroppedRecords()).isZero();
      long aggregated =
          AggregateDriver.latest(driver.readAggregates()).values().stream()
              .mapToLong(WindowAggregate::count)
              .sum();
      assertThat(aggregated + late).isEqualTo(400);
    }
  }

  @Test
  void hoppingRecordIsLateOnlyWhenAllItsWindowsHaveClosedWhileKafkaCountsEachClosedWindow() {
    ViewDefinition view =
        new ViewDefinition(
            "hopping",
            List.of("type"),
            WindowSpec.hopping(Duration.ofMinutes(5), MINUTE),
            Duration.ZERO,
            EmitMode.UPDATES,
            null);
    TimeWindows windows = ViewWindows.of(view);
    long now = BASE + Duration.ofMinutes(10).toMillis();
    long partiallyLate = BASE + Duration.ofSeconds(450).toMillis();
    long fullyLate = BASE + Duration.ofMinutes(4).toMillis();
    try (AggregateDriver driver = new AggregateDriver(view)) {
      driver.send(event("temp", "a", now, 1.0));
      driver.send(event("temp", "b", partiallyLate, 1.0));
      assertThat(driver.listener.lateCount("hopping")).isZero();
      long closedForPartial = closedWindows(windows, partiallyLate, now);
      assertThat(closedForPartial)
          .isPositive()
          .isLessThan(windows.windowsFor(partiallyLate).size());
      assertThat(driver.kafkaDroppedRecords()).isEqualTo((double) closedForPartial);

      driver.send(event("temp", "c", fullyLate, 1.0));
      assertThat(driver.listener.lateCount("hopping")).isEqualTo(1);
      assertThat(closedWindows(windows, fullyLate, now))
          .isEqualTo(windows.windowsFor(fullyLate).size());
      assertThat(driver.kafkaDroppedRecords())
          .isEqualTo((double) closedForPartial + windows.windowsFor(fullyLate).size());
    }
  }

  /** Windows of {@code time} that Kafka considers closed at the given stream time. */
  private static long closedWindows(TimeWindows windows, long time, long streamTime) {
    long closeTime = streamTime - windows.gracePeriodMs();
    return windows.windowsFor(time).values().stream().filter(w -> w.end() <= closeTime).count();
  }
}
