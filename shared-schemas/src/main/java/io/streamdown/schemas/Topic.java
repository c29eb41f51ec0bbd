package io.streamdown.schemas;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serde;

/**
 * A topic of the pipeline: its full name, the serdes of its keys and values, and the topic-level
 * configuration it is created with. Immutable.
 *
 * @param name the full topic name, prefix included
 * @param keySerde serde of keys
 * @param valueSerde serde of values
 * @param configs topic configuration (cleanup policy, retention)
 */
public record Topic<K, V>(
    String name, Serde<K> keySerde, Serde<V> valueSerde, Map<String, String> configs) {

  public Topic {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(keySerde, "keySerde");
    Objects.requireNonNull(valueSerde, "valueSerde");
    configs = Map.copyOf(configs);
  }

  /** How long the topic keeps records as created ({@link #retention(Map)} of its configs). */
  public Optional<Duration> retention() {
    return retention(configs);
  }

  /**
   * How long a topic with these configs keeps a record before deleting it: {@code retention.ms},
   * when its cleanup policy deletes (Kafka's default policy). None when the policy only compacts,
   * when the retention is unlimited ({@code -1}) or when the configs do not say.
   *
   * @param configs a topic's configs, as created or as the broker describes them
   */
  public static Optional<Duration> retention(Map<String, String> configs) {
    String policy =
        configs.getOrDefault(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE);
    if (!List.of(policy.split(",")).contains(TopicConfig.CLEANUP_POLICY_DELETE)) {
      return Optional.empty();
    }
    return Optional.ofNullable(configs.get(TopicConfig.RETENTION_MS_CONFIG))
        .map(String::trim)
        .map(Long::parseLong)
        .filter(ms -> ms >= 0)
        .map(Duration::ofMillis);
  }
}
