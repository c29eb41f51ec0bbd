package io.streamdown.schemas;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The topics of the pipeline under one name prefix (default {@code streamdown.}), each with its
 * serdes and configuration. The only place topic names are spelled.
 *
 * <p>Stream stages read {@code events.raw}, {@code reference}, {@code events.enriched} and
 * {@code aggregates} values as bytes and parse them in the topology, so a record that does not
 * parse becomes a dead letter instead of stopping the task; {@link #eventsRaw()} and friends give
 * the typed serdes for producers and tests.
 */
public record TopicCatalog(String prefix) {

  public static final String DEFAULT_PREFIX = "streamdown.";
  public static final int DEFAULT_PARTITIONS = 6;

  private static final Duration EVENTS_RETENTION = Duration.ofDays(7);
  private static final Duration DLQ_RETENTION = Duration.ofDays(30);
  private static final Duration AGGREGATES_RETENTION = Duration.ofDays(7);

  public TopicCatalog {
    prefix = prefix == null ? DEFAULT_PREFIX : prefix;
  }

  public static TopicCatalog withDefaultPrefix() {
    return new TopicCatalog(DEFAULT_PREFIX);
  }

  /** Raw events as posted, keyed by source. */
  public Topic<String, Event> eventsRaw() {
    return new Topic<>(
        prefix + "events.raw", Serdes.String(), JsonSerde.of(Event.class), delete(EVENTS_RETENTION));
  }

  /** Reference data per source; compacted; a null value deletes. */
  public Topic<String, Reference> reference() {
    return new Topic<>(
        prefix + "reference",
        Serdes.String(),
        JsonSerde.of(Reference.class),
        Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
  }

  /** De-duplicated, enriched events keyed by source. */
  public Topic<String, EnrichedEvent> eventsEnriched() {
    return new Topic<>(
        prefix + "events.enriched",
        Serdes.String(),
        JsonSerde.of(EnrichedEvent.class),
        delete(EVENTS_RETENTION));
  }

  /** Records no stage could process: original key and value bytes, error headers. */
  public Topic<byte[], byte[]> eventsDlq() {
    return new Topic<>(
        prefix + "events.dlq", Serdes.ByteArray(), Serdes.ByteArray(), delete(DLQ_RETENTION));
  }

  /** Window aggregates, the latest per window kept by compaction. */
  public Topic<AggregateKey, WindowAggregate> aggregates() {
    return new Topic<>(
        prefix + "aggregates",
        JsonSerde.of(AggregateKey.class),
        JsonSerde.of(WindowAggregate.class),
        Map.of(
            TopicConfig.CLEANUP_POLICY_CONFIG,
            TopicConfig.CLEANUP_POLICY_COMPACT + "," + TopicConfig.CLEANUP_POLICY_DELETE,
            TopicConfig.RETENTION_MS_CONFIG,
            Long.toString(AGGREGATES_RETENTION.toMillis())));
  }

  public List<Topic<?, ?>> all() {
    return List.of(eventsRaw(), reference(), eventsEnriched(), eventsDlq(), aggregates());
  }

  /**
   * The admin requests that create every topic.
   *
   * @param partitions partitions per topic
   * @param replicationFactor empty for the broker's default
   */
  public List<NewTopic> newTopics(int partitions, Optional<Short> replicationFactor) {
    return all().stream()
        .map(
            topic ->
                new NewTopic(topic.name(), Optional.of(partitions), replicationFactor)
                    .configs(topic.configs()))
        .toList();
  }

  private static Map<String, String> delete(Duration retention) {
    return Map.of(
        TopicConfig.CLEANUP_POLICY_CONFIG,
        TopicConfig.CLEANUP_POLICY_DELETE,
        TopicConfig.RETENTION_MS_CONFIG,
        Long.toString(retention.toMillis()));
  }
}
