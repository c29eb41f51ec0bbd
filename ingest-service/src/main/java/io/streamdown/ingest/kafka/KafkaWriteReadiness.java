package io.streamdown.ingest.kafka;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
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
 *
 * <p>The fetch runs on a thread of its own, started with the application and again by a probe
 * when none is running, so a probe answers at once even while the broker cannot be reached (a
 * fetch may block for {@code max.block.ms}); the details give the last attempt's error.
 */
public final class KafkaWriteReadiness implements HealthIndicator, AutoCloseable {

  private final ProducerFactory<byte[], byte[]> producers;
  private final List<String> topics;
  private final AtomicBoolean fetching = new AtomicBoolean();
  private final AtomicReference<String> lastError = new AtomicReference<>();
  /** The partitions found once every topic had some; null until then. */
  private final AtomicReference<Integer> partitions = new AtomicReference<>();
  private final ExecutorService fetcher =
      Executors.newSingleThreadExecutor(
          task -> {
            Thread thread = new Thread(task, "kafka-write-readiness");
            thread.setDaemon(true);
            return thread;
          });

  public KafkaWriteReadiness(ProducerFactory<byte[], byte[]> producers, List<String> topics) {
    this.producers = producers;
    this.topics = List.copyOf(topics);
    // The first fetch starts with the application, so it is usually done by the first probe.
    fetching.set(true);
    fetcher.execute(this::fetch);
  }

  @Override
  public Health health() {
    Integer found = partitions.get();
    if (found != null) {
      return Health.up().withDetail("topics", topics).withDetail("partitions", found).build();
    }
    if (fetching.compareAndSet(false, true)) {
      fetcher.execute(this::fetch);
    }
    String error = lastError.get();
    return Health.outOfService()
        .withDetail("topics", topics)
        .withDetail("metadata", error == null ? "being fetched" : error)
        .build();
  }

  private void fetch() {
    try {
      int total = 0;
      for (String topic : topics) {
        // Shared and thread-safe, owned by the factory: not closed after use. Bounded by
        // max.block.ms.
        List<PartitionInfo> info = producers.createNonTransactionalProducer().partitionsFor(topic);
        if (info == null || info.isEmpty()) {
          lastError.set("topic " + topic + " has no partitions");
          return;
        }
        total += info.size();
      }
      partitions.set(total);
    } catch (RuntimeException e) {
      lastError.set(e.getClass().getSimpleName() + ": " + e.getMessage());
    } finally {
      fetching.set(false);
    }
  }

  @Override
  public void close() {
    fetcher.shutdownNow();
  }
}
