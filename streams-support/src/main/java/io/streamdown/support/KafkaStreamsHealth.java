package io.streamdown.support;

import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KafkaStreams.State;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;

/**
 * Health of the service's Kafka Streams client, in two flavours: <em>liveness</em> is down only
 * when the client has died (ERROR, or stopped while the service still runs), so an orchestrator
 * restarts it; <em>readiness</em> is up only while the client is RUNNING. The services' readiness
 * indicator is the stricter {@link KafkaStreamsReadiness}, which also waits for restoring stores
 * and input lag.
 */
public final class KafkaStreamsHealth implements HealthIndicator {

  private final StreamsBuilderFactoryBean factoryBean;
  private final boolean readiness;

  private KafkaStreamsHealth(StreamsBuilderFactoryBean factoryBean, boolean readiness) {
    this.factoryBean = factoryBean;
    this.readiness = readiness;
  }

  public static KafkaStreamsHealth liveness(StreamsBuilderFactoryBean factoryBean) {
    return new KafkaStreamsHealth(factoryBean, false);
  }

  public static KafkaStreamsHealth readiness(StreamsBuilderFactoryBean factoryBean) {
    return new KafkaStreamsHealth(factoryBean, true);
  }

  @Override
  public Health health() {
    KafkaStreams streams = factoryBean.getKafkaStreams();
    if (streams == null) {
      // Not created yet: alive (starting), not ready.
      return (readiness ? Health.outOfService() : Health.up())
          .withDetail("state", "NOT_CREATED")
          .build();
    }
    State state = streams.state();
    boolean healthy =
        readiness
            ? state == State.RUNNING
            : state != State.ERROR
                && state != State.PENDING_ERROR
                && !(factoryBean.isRunning() && state == State.NOT_RUNNING);
    Health.Builder builder = healthy ? Health.up() : readiness ? Health.outOfService() : Health.down();
    return builder.withDetail("state", state.name()).build();
  }
}
