package io.streamdown.ingest.kafka;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.common.PartitionInfo;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.kafka.core.ProducerFactory;

/**
 * Readiness of ingest (health indicator {@code kafkaWrite}, in the readiness group): UP once the
 * shared producer has fetched the partitions of every topic ingest writes to.
 *
 * <p>Until then the first request of each topic would wait for that metadata itself, and on a
 * busy or still-starting broker fail with a 503 after {@code max.block.ms}; an instance that is
 * not ready yet keeps that cost off its clients. Once fetched, the producer refreshes metadata on
 * its own and the indicator stays UP: a broker that goes away later is answered per request (503
 * with {@code Retry-After}), so a Kafka outage does not take every ingest instance out of the load
 * balancer at once while it still answers clearly.
 */
public final class KafkaWriteReadiness implements HealthIndicator {

  private final ProducerFactory<byte[], byte[]> producers;
  private final List<String> topics;
  private final AtomicBoolean fetched = new AtomicBoolean();

  public KafkaWriteReadiness(ProducerFactory<byte[], byte[]> producers, List<String> topics) {
    this.producers = producers;
    this.topics = List.copyOf(topics);
  }

  @Override
  public Health health() {
    if (fetched.get()) {
      return Health.up().withDetail("topics", topics).build();
    }
    try {
      int partitions = 0;
      for (String topic : topics) {
        // Shared and thread-safe, owned by the factory: not closed after use. Bounded by
        // max.block.ms.
        List<PartitionInfo> info = producers.createNonTransactionalProducer().partitionsFor(topic);
        if (info == null || info.isEmpty()) {
          return Health.outOfService().withDetail("missingTopic", topic).build();
        }
        partitions += info.size();
      }
      fetched.set(true);
      return Health.up().withDetail("topics", topics).withDetail("partitions", partitions).build();
    } catch (RuntimeException e) {
      return Health.outOfService()
          .withDetail("error", e.getClass().getSimpleName() + ": " + e.getMessage())
          .build();
    }
  }
}
