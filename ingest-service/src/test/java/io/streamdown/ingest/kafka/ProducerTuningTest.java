package io.streamdown.ingest.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamdown.ingest.config.IngestSettings;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

class ProducerTuningTest {

  private static Map<String, Object> configs(Duration writeTimeout) {
    return ProducerTuning.configs(
        new IngestSettings.Kafka(writeTimeout, Duration.ofSeconds(30), 4, "", 5000, 1000));
  }

  private static long millis(Map<String, Object> configs, String key) {
    return ((Number) configs.get(key)).longValue();
  }

  @Test
  void theWorstBlockingPathFitsTheWriteDeadline() {
    Duration writeTimeout = Duration.ofSeconds(10);
    Map<String, Object> configs = configs(writeTimeout);

    long maxBlock = millis(configs, ProducerConfig.MAX_BLOCK_MS_CONFIG);
    // A blocked send, a failed commit and an abort, then a forced close.
    long worstBatch = 3 * maxBlock + ProducerTuning.CLOSE_TIMEOUT_SECONDS * 1000L;
    // A metadata wait, then the record's delivery timeout.
    long worstSingle = maxBlock + millis(configs, ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG);

    assertThat(worstBatch).isLessThanOrEqualTo(writeTimeout.toMillis());
    assertThat(worstSingle).isLessThanOrEqualTo(writeTimeout.toMillis());
  }

  @Test
  void deliveryTimeoutCoversRequestTimeoutAndLingerEvenWhenTiny() {
    Map<String, Object> configs = configs(Duration.ofMillis(100));

    assertThat(millis(configs, ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG))
        .isGreaterThanOrEqualTo(
            millis(configs, ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG)
                + millis(configs, ProducerConfig.LINGER_MS_CONFIG));
  }

  @Test
  void asksForDurableIdempotentWrites() {
    Map<String, Object> configs = configs(Duration.ofSeconds(10));

    assertThat(configs)
        .containsEntry(ProducerConfig.ACKS_CONFIG, "all")
        .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)
        .containsEntry(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 30_000);
  }
}
