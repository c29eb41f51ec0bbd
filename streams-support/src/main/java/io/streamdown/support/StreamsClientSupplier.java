package io.streamdown.support;

import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.KafkaClientSupplier;
import org.apache.kafka.streams.processor.internals.DefaultKafkaClientSupplier;

/**
 * Kafka Streams' clients from Kafka Streams' own default supplier, except that a transactional
 * producer (exactly-once) flushes once per commit instead of once per task ({@link
 * OneFlushPerCommitProducer}). At-least-once producers are left alone: there the flush is what
 * makes committing the input offsets safe. The services use it unless {@code
 * streamdown.streams.one-flush-per-commit=false} (streams-support README).
 */
public final class StreamsClientSupplier implements KafkaClientSupplier {

  /**
   * Kafka Streams' own default, so every client but the transactional producer stays exactly what
   * Kafka Streams would create. It sits in an internals package (public, with nothing to replace
   * it in the API); if it moves, this stops compiling instead of drifting from the default.
   */
  private final KafkaClientSupplier defaults = new DefaultKafkaClientSupplier();

  @Override
  public Admin getAdmin(Map<String, Object> config) {
    return defaults.getAdmin(config);
  }

  @Override
  public Producer<byte[], byte[]> getProducer(Map<String, Object> config) {
    Producer<byte[], byte[]> producer = defaults.getProducer(config);
    return isTransactional(config) ? new OneFlushPerCommitProducer<>(producer) : producer;
  }

  @Override
  public Consumer<byte[], byte[]> getConsumer(Map<String, Object> config) {
    return defaults.getConsumer(config);
  }

  @Override
  public Consumer<byte[], byte[]> getRestoreConsumer(Map<String, Object> config) {
    return defaults.getRestoreConsumer(config);
  }

  @Override
  public Consumer<byte[], byte[]> getGlobalConsumer(Map<String, Object> config) {
    return defaults.getGlobalConsumer(config);
  }

  private static boolean isTransactional(Map<String, Object> config) {
    return config.get(ProducerConfig.TRANSACTIONAL_ID_CONFIG) != null;
  }
}
