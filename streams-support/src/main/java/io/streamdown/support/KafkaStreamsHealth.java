package io.streamdown.support;

import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KafkaStreams.State;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;

/**
 * Liveness of the service's Kafka Streams client: down only when the client has died (ERROR, or
 * stopped while the service still runs), so an orchestrator restarts it. Restoring, rebalancing
 * or lagging is not a reason to restart; that is {@link KafkaStreamsReadiness}'s business.
 */
public final class KafkaStreamsHealth implements HealthIndicator {

  private final StreamsBuilderFactoryBean factoryBean;

  private KafkaStreamsHealth(StreamsBuilderFactoryBean factoryBean) {
    this.factoryBean = factoryBean;
  }

  public static KafkaStreamsHealth liveness(StreamsBuilderFactoryBean factoryBean) {
    return new KafkaStreamsHealth(factoryBean);
  }

  @Override
  public Health health() {
    KafkaStreams streams = factoryBean.getKafkaStreams();
    if (streams == null) {
      // Not created yet: starting, which is alive.
      return Health.up().withDetail("state", "NOT_CREATED").build();
    }
    State state = streams.state();
    boolean alive =
        state != State.ERROR
            && state != State.PENDING_ERROR
            && !(factoryBean.isRunning() && state == State.NOT_RUNNING);
    return (alive ? Health.up() : Health.down()).withDetail("state", state.name()).build();
  }
}
