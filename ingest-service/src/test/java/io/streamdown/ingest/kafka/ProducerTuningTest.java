package io.streamdown.ingest.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamdown.ingest.config.IngestSettings;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

class ProducerTuningTest {

  private static Map<String, Object> configs(Duration writeTimeout) {
    return configs(writeTimeout, Duration.ofMillis(5));
  }

  private static Map<String, Object> configs(Duration writeTimeout, Duration linger) {
    return ProducerTuning.configs(
        new IngestSettings.Kafka(writeTimeout, Duration.ofSeconds(30), 4, "", 5000, 1000, linger));
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
    assertDeliveryCoversRequestTimeoutAndLinger(configs(Duration.ofMillis(100)));
  }

  /** The producer refuses a delivery timeout below request timeout plus linger. */
  private static void assertDeliveryCoversRequestTimeoutAndLinger(Map<String, Object> configs) {
    assertThat(millis(configs, ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG))
        .isGreaterThanOrEqualTo(
            millis(configs, ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG)
                + millis(configs, ProducerConfig.LINGER_MS_CONFIG));
  }

  @Test
  void lingersAsSetAndStillFitsTheDeadlineAtTheLongestLingerAllowed() {
    assertThat(configs(Duration.ofSeconds(10), Duration.ZERO))
        .containsEntry(ProducerConfig.LINGER_MS_CONFIG, 0);

    Duration writeTimeout = Duration.ofSeconds(10);
    Map<String, Object> longest = configs(writeTimeout, writeTimeout.dividedBy(4));
    assertThat(millis(longest, ProducerConfig.LINGER_MS_CONFIG)).isEqualTo(2_500);
    assertThat(
            millis(longest, ProducerConfig.MAX_BLOCK_MS_CONFIG)
                + millis(longest, ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG))
        .isLessThanOrEqualTo(writeTimeout.toMillis());
    assertDeliveryCoversRequestTimeoutAndLinger(longest);
  }

  @Test
  void refusesALingerBeyondAQuarterOfTheDeadlineOrBelowZero() {
    Duration writeTimeout = Duration.ofSeconds(10);
    assertThatThrownBy(() -> configs(writeTimeout, Duration.ofMillis(2_501)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("streamdown.ingest.kafka.linger");
    assertThatThrownBy(() -> configs(writeTimeout, Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("streamdown.ingest.kafka.linger");
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
