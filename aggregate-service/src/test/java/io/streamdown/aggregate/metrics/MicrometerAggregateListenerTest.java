package io.streamdown.aggregate.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamdown.schemas.Event;
import io.streamdown.schemas.WindowAggregate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MicrometerAggregateListenerTest {

  private final Instant now = Instant.parse("2026-01-05T12:00:00Z");
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final MicrometerAggregateListener listener =
      new MicrometerAggregateListener(registry, Clock.fixed(now, ZoneOffset.UTC));

  @Test
  void countsLateAndUnkeyedEventsPerView() {
    listener.late("a");
    listener.late("a");
    listener.late("b");
    listener.unkeyed("b");
    assertThat(registry.get(MicrometerAggregateListener.LATE).tag("view", "a").counter().count())
        .isEqualTo(2);
    assertThat(registry.get(MicrometerAggregateListener.LATE).tag("view", "b").counter().count())
        .isEqualTo(1);
    assertThat(
            registry.get(MicrometerAggregateListener.UNKEYED).tag("view", "b").counter().count())
        .isEqualTo(1);
    assertThat(registry.find(MicrometerAggregateListener.UNKEYED).tag("view", "a").counter())
        .isNull();
  }

  @Test
  void countsRegroupedEventsPerView() {
    listener.regrouped("ysb");
    listener.regrouped("ysb");
    listener.regrouped("ysb");
    assertThat(
            registry.get(MicrometerAggregateListener.REGROUPED).tag("view", "ysb").counter().count())
        .isEqualTo(3);
    assertThat(registry.find(MicrometerAggregateListener.REGROUPED).tag("view", "a").counter())
        .isNull();
  }

  @Test
  void countsRetractedSessionsPerViewWithoutRecordingFreshness() {
    listener.retracted("s");
    listener.retracted("s");
    assertThat(
            registry.get(MicrometerAggregateListener.RETRACTED).tag("view", "s").counter().count())
        .isEqualTo(2);
    assertThat(registry.find(MicrometerAggregateListener.FRESHNESS).timer()).isNull();
  }

  @Test
  void recordsFreshnessAsNowMinusTheLatestIngestTime() {
    long ingest = now.toEpochMilli() - 1_500;
    WindowAggregate aggregate =
        WindowAggregate.empty("a", Map.of("type", "t"), 0, 60_000)
            .plus(new Event("e", "s", "t", ingest - 100, 1.0, null, ingest));
    listener.emitted("a", aggregate);
    Timer timer = registry.get(MicrometerAggregateListener.FRESHNESS).tag("view", "a").timer();
    assertThat(timer.count()).isEqualTo(1);
    assertThat(timer.totalTime(TimeUnit.MILLISECONDS))
        .isEqualTo((double) (now.toEpochMilli() - ingest));
  }

  @Test
  void countsDeadLettersByStageAndErrorClass() {
    listener.deadLettered("aggregate", "tools.jackson.core.exc.StreamReadException");
    listener.deadLettered("aggregate", "tools.jackson.core.exc.StreamReadException");
    assertThat(
            registry
                .get(MicrometerAggregateListener.DEAD_LETTERS)
                .tag("stage", "aggregate")
                .tag("error", "tools.jackson.core.exc.StreamReadException")
                .counter()
                .count())
        .isEqualTo(2);
  }
}
