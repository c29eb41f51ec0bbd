package io.streamdown.support;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;

/**
 * The {@link StreamsReadinessSource} of the service's own Streams client: its state, the {@link
 * RestoreTracker}'s restoring partitions and the input lag taken from the main consumers' {@code
 * records-lag} metrics (one per assigned partition; the restore and global consumers are left out).
 * Metrics are local, so a probe costs no request to the broker.
 */
public final class KafkaStreamsStatus implements StreamsReadinessSource {

  private final StreamsBuilderFactoryBean factoryBean;
  private final RestoreTracker restores;

  public KafkaStreamsStatus(StreamsBuilderFactoryBean factoryBean, RestoreTracker restores) {
    this.factoryBean = factoryBean;
    this.restores = restores;
  }

  @Override
  public Optional<KafkaStreams.State> state() {
    KafkaStreams streams = factoryBean.getKafkaStreams();
    return streams == null ? Optional.empty() : Optional.of(streams.state());
  }

  @Override
  public List<RestoreTracker.Restoring> restoring() {
    return restores.restoring();
  }

  @Override
  public long restoresCompleted() {
    return restores.restoresCompleted();
  }

  @Override
  public OptionalLong maxInputLag() {
    KafkaStreams streams = factoryBean.getKafkaStreams();
    return streams == null ? OptionalLong.empty() : maxInputLag(streams.metrics());
  }

  /** The largest finite {@code records-lag} of a main consumer's partition among the metrics. */
  static OptionalLong maxInputLag(Map<MetricName, ? extends Metric> metrics) {
    long max = -1;
    for (Map.Entry<MetricName, ? extends Metric> entry : metrics.entrySet()) {
      MetricName name = entry.getKey();
      String clientId = name.tags().getOrDefault("client-id", "");
      if (!name.name().equals("records-lag")
          || !name.group().equals("consumer-fetch-manager-metrics")
          || !name.tags().containsKey("partition")
          || !clientId.endsWith("-consumer")
          || clientId.endsWith("-restore-consumer")
          || clientId.endsWith("-global-consumer")) {
        continue;
      }
      if (entry.getValue().metricValue() instanceof Number number) {
        double lag = number.doubleValue();
        if (Double.isFinite(lag)) {
          max = Math.max(max, (long) lag);
        }
      }
    }
    return max < 0 ? OptionalLong.empty() : OptionalLong.of(max);
  }
}
