package io.streamdown.aggregate.streams;

import static io.streamdown.aggregate.streams.AggregateDriver.BASE;
import static io.streamdown.aggregate.streams.AggregateDriver.event;
import static org.assertj.core.api.Assertions.assertThat;

import io.streamdown.schemas.EmitMode;
import io.streamdown.schemas.ViewDefinition;
import io.streamdown.schemas.WindowAggregate;
import io.streamdown.schemas.WindowSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Sliding views: a window covers the events at most the time difference apart, both edges
 * included; on {@code aggregates} its end is exclusive (Kafka's end + 1 ms) like every other
 * window's. Late events follow Kafka's sliding rule and agree with its dropped-records metric.
 */
class SlidingWindowsTest {

  private static final Duration DIFFERENCE = Duration.ofSeconds(10);
  private static final Duration GRACE = Duration.ofSeconds(5);

  private static ViewDefinition sliding(EmitMode emit) {
    return new ViewDefinition(
        "sliding", List.of("type"), WindowSpec.sliding(DIFFERENCE), GRACE, emit, null);
  }

  @Test
  void eventsExactlyTheTimeDifferenceApartShareAWindowAndOneMillisecondMoreDoNot() {
    long d = DIFFERENCE.toMillis();
    List<Long> times = List.of(BASE, BASE + d, BASE + 2 * d + 1);
    try (AggregateDriver driver = new AggregateDriver(sliding(EmitMode.UPDATES))) {
      times.forEach(t -> driver.send(event("temp", "a", t, 1.0)));
      Map<?, WindowAggregate> latest = AggregateDriver.latest(driver.readAggregates());

      assertThat(latest).isNotEmpty();
      for (WindowAggregate window : latest.values()) {
        assertThat(window.windowEnd() - window.windowStart()).isEqualTo(d + 1);
        long inside =
            times.stream().filter(t -> t >= window.windowStart() && t < window.windowEnd()).count();
        assertThat(window.count()).as("window %s", window.key()).isEqualTo(inside);
      }
      long maxCount = latest.values().stream().mapToLong(WindowAggregate::count).max().orElse(0);
      // The first two (exactly d apart) meet in [BASE, BASE + d]; the third is d + 1 after the
      // second, so no window holds all three or the second and third.
      assertThat(maxCount).isEqualTo(2);
      assertThat(latest.values())
          .anySatisfy(
              w -> {
                assertThat(w.windowStart()).isEqualTo(BASE);
                assertThat(w.count()).isEqualTo(2);
              });
      assertThat(latest.values())
          .noneSatisfy(
              w ->
                  assertThat(w.windowStart() <= BASE + d && w.windowEnd() > BASE + 2 * d + 1)
                      .isTrue());
    }
  }

  @Test
  void recordIsLateExactlyWhenItsLatestWindowEndsBeforeTheCloseTime() {
    long d = DIFFERENCE.toMillis();
    long now = BASE + 30_000;
    long closeTime = now - GRACE.toMillis();
    try (AggregateDriver driver = new AggregateDriver(sliding(EmitMode.UPDATES))) {
      driver.send(event("temp", "a", now, 1.0));
      // Its latest window [t, t + d] ends exactly at the close time: Kafka does not drop the
      // record as such; it skips (and counts) each of its windows that closed, as for hopping.
      driver.send(event("temp", "b", closeTime - d, 1.0));
      assertThat(driver.listener.lateCount("sliding")).isZero();
      double windowDrops = driver.kafkaDroppedRecords();
      // One millisecond earlier it ends before the close time: the record is dropped, once.
      driver.send(event("temp", "c", closeTime - d - 1, 1.0));
      assertThat(driver.listener.lateCount("sliding")).isEqualTo(1);
      assertThat(driver.kafkaDroppedRecords()).isEqualTo(windowDrops + 1);
    }
  }

  @Test
  void finalModeEmitsEachWindowOnceAfterItCloses() {
    try (AggregateDriver driver = new AggregateDriver(sliding(EmitMode.FINAL))) {
      List<Long> times = new ArrayList<>(List.of(BASE, BASE + 4_000));
      times.forEach(t -> driver.send(event("temp", "a", t, 2.0)));
      driver.advanceWallClock(Duration.ofSeconds(2));
      // Far past every window of the first two events plus grace.
      driver.send(event("temp", "a", BASE + 60_000, 2.0));
      List<WindowAggregate> emitted = driver.readAggregates();
      assertThat(emitted).isNotEmpty();
      assertThat(AggregateDriver.latest(emitted)).hasSameSizeAs(emitted);
      for (WindowAggregate window : emitted) {
        long inside =
            times.stream().filter(t -> t >= window.windowStart() && t < window.windowEnd()).count();
        assertThat(window.count()).isEqualTo(inside);
      }
      assertThat(emitted).anySatisfy(w -> assertThat(w.count()).isEqualTo(2));
    }
  }
}
