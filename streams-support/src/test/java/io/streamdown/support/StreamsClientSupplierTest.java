package io.streamdown.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

class StreamsClientSupplierTest {

  private final StreamsClientSupplier supplier = new StreamsClientSupplier();

  /** Creating a client does not connect: no broker is needed. */
  private static Map<String, Object> config() {
    Map<String, Object> config = new HashMap<>();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:1");
    return config;
  }

  private void assertProducerIs(Map<String, Object> config, Class<?> type) {
    Producer<byte[], byte[]> producer = supplier.getProducer(config);
    try {
      assertThat(producer).isInstanceOf(type);
    } finally {
      producer.close(Duration.ZERO);
    }
  }

  @Test
  void anExactlyOnceProducerFlushesOncePerCommit() {
    Map<String, Object> config = config();
    config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "streamdown-aggregate-1");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);

    assertProducerIs(config, OneFlushPerCommitProducer.class);
  }

  @Test
  void anAtLeastOnceProducerIsKafkasOwn() {
    assertProducerIs(config(), KafkaProducer.class);
  }

  @Test
  void theConsumersAreKafkasOwn() {
    Map<String, Object> config = config();
    config.put("group.id", "streamdown-aggregate");
    for (Consumer<byte[], byte[]> consumer :
        new Consumer[] {
          supplier.getConsumer(config),
          supplier.getRestoreConsumer(config()),
          supplier.getGlobalConsumer(config())
        }) {
      try {
        assertThat(consumer).isInstanceOf(KafkaConsumer.class);
      } finally {
        consumer.close(Duration.ZERO);
      }
    }
  }
}
