package io.streamdown.support;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.kafka.streams.KafkaStreams.State;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Readiness of a Streams service (health indicator {@code kafkaStreams}, in the readiness group):
 * UP only when the client is RUNNING, no active store is restoring and the input lag is at most
 * {@code streamdown.streams.readiness.max-lag} offsets. Until then the instance's answers would
 * miss data (a restoring store cannot be queried; a lagging consumer has not yet seen what others
 * already have), so traffic goes elsewhere.
 *
 * <p>Lag is the <em>input consumer lag</em>, the largest {@code records-lag} of a partition the
 * instance consumes: it says how far this instance's view is behind what was produced, the
 * staleness users see. The changelog lag of an active store is not used: it is zero once the store
 * is restored (the task writes its changelog itself), which the restore check covers already, and
 * measuring it means a request to the broker on every probe. An unknown lag (nothing assigned or
 * fetched yet) does not hold readiness back, so an instance without tasks is ready.
 *
 * <p>The details say why: {@code state}, {@code restoring} (each store partition with the offsets
 * remaining), {@code restoresCompleted}, {@code inputLag} and {@code maxLag}. Liveness is separate
 * ({@link KafkaStreamsHealth#liveness}) and never depends on restoration or lag.
 */
public final class KafkaStreamsReadiness implements HealthIndicator {

  private final StreamsReadinessSource source;
  private final long maxLag;

  /**
   * @param maxLag the largest input lag, in offsets, at which the instance counts as ready
   */
  public KafkaStreamsReadiness(StreamsReadinessSource source, long maxLag) {
    if (maxLag < 0) {
      throw new IllegalArgumentException("maxLag must not be negative, not " + maxLag);
    }
    this.source = source;
    this.maxLag = maxLag;
  }

  @Override
  public Health health() {
    State state = source.state().orElse(null);
    if (state == null) {
      return Health.outOfService().withDetail("state", "NOT_CREATED").build();
    }
    List<RestoreTracker.Restoring> restoring = source.restoring();
    OptionalLong lag = source.maxInputLag();
    boolean ready =
        state == State.RUNNING
            && restoring.isEmpty()
            && (lag.isEmpty() || lag.getAsLong() <= maxLag);
    Health.Builder builder = ready ? Health.up() : Health.outOfService();
    builder
        .withDetail("state", state.name())
        .withDetail(
            "restoring",
            restoring.stream()
                .map(
                    r ->
                        Map.of(
                            "store", r.store(),
                            "changelog", r.changelog().toString(),
                            "remaining", r.remaining()))
                .toList())
        .withDetail("restoresCompleted", source.restoresCompleted())
        .withDetail("inputLag", lag.isPresent() ? (Object) lag.getAsLong() : "unknown")
        .withDetail("maxLag", maxLag);
    return builder.build();
  }
}
