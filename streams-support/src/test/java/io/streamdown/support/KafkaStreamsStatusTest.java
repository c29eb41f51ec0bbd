package io.streamdown.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.junit.jupiter.api.Test;

class KafkaStreamsStatusTest {

  private final Map<MetricName, Metric> metrics = new HashMap<>();

  @Test
  void maxInputLagIsTheLargestMainConsumerPartitionLag() {
    lag("app-1-StreamThread-1-consumer", "2", 40);
    lag("app-1-StreamThread-2-consumer", "5", 70);
    lag("app-1-StreamThread-1-restore-consumer", "1", 9_000);
    lag("app-1-global-consumer", "0", 8_000);
    lag("app-1-StreamThread-1-consumer", "3", Double.NaN);
    metrics.put(
        new MetricName(
            "records-lag-max",
            "consumer-fetch-manager-metrics",
            "",
            Map.of("client-id", "app-1-StreamThread-1-consumer")),
        metric(5_000));

    assertThat(KafkaStreamsStatus.maxInputLag(metrics)).hasValue(70);
  }

  @Test
  void unknownWithoutPartitionLags() {
    lag("app-1-StreamThread-1-consumer", "3", Double.NaN);

    assertThat(KafkaStreamsStatus.maxInputLag(metrics)).isEmpty();
    assertThat(KafkaStreamsStatus.maxInputLag(Map.of())).isEmpty();
  }

  private void lag(String clientId, String partition, double value) {
    metrics.put(
        new MetricName(
            "records-lag",
            "consumer-fetch-manager-metrics",
            "",
            Map.of("client-id", clientId, "topic", "in", "partition", partition)),
        metric(value));
  }

  private static Metric metric(double value) {
    return new Metric() {
      @Override
      public MetricName metricName() {
        return null;
      }

      @Override
      public Object metricValue() {
        return value;
      }
    };
  }
}
