package io.streamdown.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams.State;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

class KafkaStreamsReadinessTest {

  /** A source whose answers the test sets. */
  private static final class FakeSource implements StreamsReadinessSource {
    Optional<State> state = Optional.of(State.RUNNING);
    List<RestoreTracker.Restoring> restoring = new ArrayList<>();
    OptionalLong lag = OptionalLong.of(0);
    long completed;

    @Override
    public Optional<State> state() {
      return state;
    }

    @Override
    public List<RestoreTracker.Restoring> restoring() {
      return restoring;
    }

    @Override
    public long restoresCompleted() {
      return completed;
    }

    @Override
    public OptionalLong maxInputLag() {
      return lag;
    }
  }

  private final FakeSource source = new FakeSource();
  private final KafkaStreamsReadiness readiness = new KafkaStreamsReadiness(source, 100);

  @Test
  void upWhenRunningRestoredAndCaughtUp() {
    source.completed = 3;
    source.lag = OptionalLong.of(100);

    Health health = readiness.health();

    assertThat(health.getStatus()).isEqualTo(Status.UP);
    assertThat(health.getDetails())
        .containsEntry("state", "RUNNING")
        .containsEntry("restoring", List.of())
        .containsEntry("restoresCompleted", 3L)
        .containsEntry("inputLag", 100L)
        .containsEntry("maxLag", 100L);
  }

  @Test
  void outOfServiceWhileAStoreRestoresEvenIfRunning() {
    source.restoring.add(
        new RestoreTracker.Restoring(
            "view-store", new TopicPartition("app-view-store-changelog", 4), 10, 990));

    Health health = readiness.health();

    assertThat(health.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
    assertThat(health.getDetails().get("restoring"))
        .isEqualTo(
            List.of(
                Map.of(
                    "store", "view-store",
                    "changelog", "app-view-store-changelog-4",
                    "remaining", 990L)));
  }

  @Test
  void outOfServiceWhileTheInputLagExceedsTheThreshold() {
    source.lag = OptionalLong.of(101);

    assertThat(readiness.health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
    assertThat(readiness.health().getDetails()).containsEntry("inputLag", 101L);
  }

  @Test
  void unknownLagDoesNotHoldReadinessBack() {
    source.lag = OptionalLong.empty();

    Health health = readiness.health();

    assertThat(health.getStatus()).isEqualTo(Status.UP);
    assertThat(health.getDetails()).containsEntry("inputLag", "unknown");
  }

  @Test
  void outOfServiceUnlessRunning() {
    for (State state : State.values()) {
      source.state = Optional.of(state);
      Status expected = state == State.RUNNING ? Status.UP : Status.OUT_OF_SERVICE;
      assertThat(readiness.health().getStatus()).as(state.name()).isEqualTo(expected);
    }
    source.state = Optional.empty();
    assertThat(readiness.health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
    assertThat(readiness.health().getDetails()).containsEntry("state", "NOT_CREATED");
  }
}
