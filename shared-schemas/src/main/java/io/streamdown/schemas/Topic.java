package io.streamdown.schemas;

import java.time.Duration;
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

  /** How long the topic keeps records as created ({@code retention.ms}), if it says. */
  public Optional<Duration> retention() {
    return Optional.ofNullable(configs.get(TopicConfig.RETENTION_MS_CONFIG))
        .map(ms -> Duration.ofMillis(Long.parseLong(ms)));
  }
}
