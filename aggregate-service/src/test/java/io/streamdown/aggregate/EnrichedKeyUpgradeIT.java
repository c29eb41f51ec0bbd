package io.streamdown.aggregate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamdown.aggregate.streams.AggregateListener;
import io.streamdown.aggregate.streams.AggregateTopology;
import io.streamdown.schemas.AggregateKey;
import io.streamdown.schemas.EmitMode;
import io.streamdown.schemas.EnrichedEvent;
import io.streamdown.schemas.EnrichedKeying;
import io.streamdown.schemas.Event;
import io.streamdown.schemas.Json;
import io.streamdown.schemas.TopicCatalog;
import io.streamdown.schemas.ViewDefinition;
import io.streamdown.schemas.WindowAggregate;
import io.streamdown.schemas.WindowSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;

/**
 * The upgrade to enrich's keying ({@link EnrichedKeying}) as the aggregate README prescribes it:
 * a version that regrouped every view stops, the version with the first view's short path starts
 * with the same application id and state directory, and the first view's windows, whose store
 * now lives in another sub-topology, go on from the counts they had.
 */
@EmbeddedKafka(
    partitions = EnrichedKeyUpgradeIT.PARTITIONS,
    topics = {"streamdown.events.enriched", "streamdown.events.dlq", "streamdown.aggregates"},
    brokerProperties = {
      "transaction.state.log.replication.factor=1",
      "transaction.state.log.min.isr=1"
    })
class EnrichedKeyUpgradeIT {

  static final int PARTITIONS = 3;
  private static final Duration DEADLINE = Duration.ofSeconds(90);
  private static final TopicCatalog TOPICS = TopicCatalog.withDefaultPrefix();
  private static final List<ViewDefinition> VIEWS =
      List.of(
          new ViewDefinition(
              "by-source",
              List.of("type", "source"),
              WindowSpec.tumbling(Duration.ofMinutes(1)),
              Duration.ofHours(1),
              EmitMode.UPDATES,
              Duration.ofDays(1)),
          new ViewDefinition(
              "by-type",
              List.of("type"),
              WindowSpec.tumbling(Duration.ofMinutes(1)),
              Duration.ofHours(1),
              EmitMode.UPDATES,
              Duration.ofDays(1)));

  @TempDir Path stateDir;

  @Test
  void theFirstViewsWindowsGoOnAfterItsStoreMovedToTheKeyedSubTopology(
      EmbeddedKafkaBroker broker) {
    String bootstrap = broker.getBrokersAsString();
    long now = System.currentTimeMillis();
    long minute = now - now % 60_000;
    EnrichedKeying keying =
        EnrichedKeying.of(EnrichedKeying.Mode.FIRST_VIEW, VIEWS).orElseThrow();
    Map<AggregateKey, WindowAggregate> latest = new HashMap<>();
    AggregateKey bySource = new AggregateKey("by-source", List.of("temp", "dev-1"), minute);
    AggregateKey byType = new AggregateKey("by-type", List.of("temp"), minute);

    try (KafkaConsumer<byte[], byte[]> aggregates =
            EnrichedRecords.consumerFromStart(bootstrap, TOPICS.aggregates().name(), PARTITIONS);
        KafkaProducer<String, byte[]> producer = EnrichedRecords.producer(bootstrap)) {
      // Before: a version that regrouped every view, fed by an enrich that keyed by source.
      try (KafkaStreams before = start(bootstrap, EnrichedKeying.Mode.SOURCE)) {
        for (int i = 0; i < 4; i++) {
          producer.send(EnrichedRecords.keyedBySource(TOPICS, event(i, minute, now), now));
        }
        producer.flush();
        awaitCounts(aggregates, latest, Map.of(bySource, 4L, byType, 4L));
      }

      // After: the short path, with the same application id and state directory. Three events
      // as enrich now writes them, one as it wrote them before (still on the topic at upgrades).
      try (KafkaStreams after = start(bootstrap, EnrichedKeying.Mode.FIRST_VIEW)) {
        for (int i = 4; i < 7; i++) {
          producer.send(
              EnrichedRecords.keyedByEnrich(
                  TOPICS, keying, event(i, minute, now), PARTITIONS, now));
        }
        producer.send(EnrichedRecords.keyedBySource(TOPICS, event(7, minute, now), now));
        producer.flush();
        awaitCounts(aggregates, latest, Map.of(bySource, 8L, byType, 8L));
      }
    }
  }

  private KafkaStreams start(String bootstrap, EnrichedKeying.Mode mode) {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "streamdown-aggregate-upgrade-it");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    props.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
    props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
    StreamsBuilder builder = new StreamsBuilder(new TopologyConfig(new StreamsConfig(props)));
    AggregateTopology.addTo(
        builder,
        TOPICS,
        VIEWS,
        EnrichedKeying.of(mode, VIEWS),
        AggregateTopology.DEFAULT_ORIGIN_IDLE,
        AggregateListener.NONE);
    KafkaStreams streams =
        new KafkaStreams(AggregateTopology.connectStores(builder.build(props), VIEWS), props);
    streams.start();
    return streams;
  }

  private static EnrichedEvent event(int i, long minute, long now) {
    return new EnrichedEvent(
        new Event("up-" + i, "dev-1", "temp", minute + i * 1_000L, 1.0, null, now), null);
  }

  /** Reads {@code aggregates} until the latest aggregate of each key has its expected count. */
  private static void awaitCounts(
      KafkaConsumer<byte[], byte[]> aggregates,
      Map<AggregateKey, WindowAggregate> latest,
      Map<AggregateKey, Long> expected) {
    await()
        .atMost(DEADLINE)
        .untilAsserted(
            () -> {
              for (ConsumerRecord<byte[], byte[]> record :
                  aggregates.poll(Duration.ofMillis(200))) {
                AggregateKey key = Json.read(record.key(), AggregateKey.class);
                latest.put(key, Json.read(record.value(), WindowAggregate.class));
              }
              Map<AggregateKey, Long> counts = new HashMap<>();
              expected.keySet()
                  .forEach(
                      key ->
                          counts.put(
                              key, latest.containsKey(key) ? latest.get(key).count() : null));
              assertThat(counts).isEqualTo(expected);
            });
  }
}
