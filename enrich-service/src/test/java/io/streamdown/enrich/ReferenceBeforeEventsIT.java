package io.streamdown.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.streamdown.enrich.metrics.MicrometerEnrichListener;
import io.streamdown.schemas.EnrichedEvent;
import io.streamdown.schemas.Event;
import io.streamdown.schemas.Json;
import io.streamdown.schemas.JsonSerde;
import io.streamdown.schemas.Reference;
import io.streamdown.schemas.TopicCatalog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The service with its shipped configuration against an in-JVM broker, in the situation where a
 * stream-table join can go wrong without any bug in the topology: a reference upsert and the
 * events after it reach the stage in the same fetch, more of them than one poll returns. Kafka
 * Streams processes a task's records in timestamp order only among what it has buffered; the
 * events' partition comes back from the first poll, the reference partition's records wait in the
 * consumer for a later one, and the lag Kafka Streams last saw for that partition (zero, from
 * before the upsert) tells it nothing is missing. Every event here was written after its source's
 * reference, so every one must come out matched (enrich README, "Waiting for reference data").
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.NONE,
    properties = {
      "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
      // Longer than shipped, so that the restart below happens while events still wait.
      "streamdown.enrich.reference-wait=" + ReferenceBeforeEventsIT.WAIT
    })
@EmbeddedKafka(
    partitions = 1,
    topics = {
      "streamdown.events.raw",
      "streamdown.reference",
      "streamdown.events.enriched",
      "streamdown.events.dlq"
    },
    brokerProperties = {
      "transaction.state.log.replication.factor=1",
      "transaction.state.log.min.isr=1"
    })
// Closes the context (Streams first, then the broker) when the class ends, before the JVM's
// shutdown hooks remove the broker's and the state's directories.
@DirtiesContext
class ReferenceBeforeEventsIT {

  static final String WAIT = "5s";
  private static final Duration DEADLINE = Duration.ofSeconds(90);
  /** Several times Kafka Streams' {@code max.poll.records} (1,000), in one partition. */
  private static final int EVENTS = 5_000;

  // Deleted after the class's context is closed (see @DirtiesContext), not before.
  @TempDir static Path stateDir;

  @Autowired private EmbeddedKafkaBroker broker;
  @Autowired private StreamsBuilderFactoryBean factoryBean;
  @Autowired private TopicCatalog topics;
  @Autowired private MeterRegistry registry;

  private KafkaProducer<String, byte[]> producer;
  private KafkaConsumer<String, String> consumer;

  @DynamicPropertySource
  static void stateDir(DynamicPropertyRegistry registry) {
    registry.add("spring.kafka.streams.state-dir", stateDir::toString);
  }

  /** A running stage, a transactional producer and a reader of {@code events.enriched}. */
  @BeforeEach
  void openClients() {
    awaitRunning();
    producer = newProducer();
    producer.initTransactions();
    consumer = newConsumer();
    consumer.subscribe(List.of(topics.eventsEnriched().name()));
  }

  @AfterEach
  void closeClients() {
    producer.close();
    consumer.close();
  }

  @Test
  void eventsWrittenAfterTheirReferenceJoinItWhenBothArriveInOneFetch() {
    // The task is running and has read both its partitions to their ends.
    long start = System.currentTimeMillis();
    writeTogether(
        List.of(
            upsert("other-source", "plant-2", start),
            rawEvent(event("warm-up", "other-source", start + 1))));
    List<EnrichedEvent> warmUp = readEnriched(1, "other-source");
    assertThat(warmUp).extracting(e -> e.event().eventId()).containsExactly("warm-up");

    // The upsert, then the events, stamped after it; one transaction makes them readable at the
    // same moment, as a backlog does for a stage that is behind.
    long upsertAt = System.currentTimeMillis();
    List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
    records.add(upsert("sensor-1", "plant-1", upsertAt));
    for (int i = 0; i < EVENTS; i++) {
      records.add(rawEvent(event("e-" + i, "sensor-1", upsertAt + 1 + i / 100)));
    }
    writeTogether(records);

    List<EnrichedEvent> enriched = readEnriched(EVENTS, "sensor-1");
    long unmatched = enriched.stream().filter(e -> !e.matched()).count();
    assertThat(unmatched)
        .as("events written after their source's reference but enriched without it")
        .isZero();
    assertThat(enriched)
        .allSatisfy(e -> assertThat(e.reference()).containsEntry("site", "plant-1"));
  }

  /**
   * Events waiting for their reference when the stage stops wait on after it starts again (their
   * store is logged and read back), and go on once, unmatched, when their time is up.
   */
  @Test
  void eventsWaitingAcrossARestartGoOnOnce() {
    double heldBefore = held();
    int waiting = 100;
    long now = System.currentTimeMillis();
    List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
    for (int i = 0; i < waiting; i++) {
      records.add(rawEvent(event("w-" + i, "sensor-without-reference", now + i)));
    }
    writeTogether(records);
    await().atMost(DEADLINE).until(() -> held() - heldBefore >= waiting);

    factoryBean.stop();
    factoryBean.start();
    awaitRunning();

    List<EnrichedEvent> enriched = readEnriched(waiting, "sensor-without-reference");
    assertThat(enriched).hasSize(waiting).noneMatch(EnrichedEvent::matched);
    assertThat(enriched).extracting(e -> e.event().eventId()).doesNotHaveDuplicates();
  }

  /** Writes {@code records} in one transaction, so readers see all of them at the same moment. */
  private void writeTogether(List<ProducerRecord<String, byte[]>> records) {
    producer.beginTransaction();
    records.forEach(producer::send);
    producer.commitTransaction();
  }

  private double held() {
    return registry.counter(MicrometerEnrichListener.HELD).count();
  }

  private void awaitRunning() {
    await()
        .atMost(DEADLINE)
        .until(
            () ->
                factoryBean.getKafkaStreams() != null
                    && factoryBean.getKafkaStreams().state() == KafkaStreams.State.RUNNING);
  }

  private static Event event(String id, String source, long ingestTime) {
    return new Event(id, source, "reading", ingestTime, 1.0, Map.of(), ingestTime);
  }

  /** As ingest writes a reference upsert: keyed by source, record timestamp = ingest time. */
  private ProducerRecord<String, byte[]> upsert(String source, String site, long at) {
    return new ProducerRecord<>(
        topics.reference().name(),
        null,
        at,
        source,
        Json.write(new Reference(source, Map.of("site", site), at)));
  }

  /** As ingest writes an event: keyed by source, record timestamp = ingest time. */
  private ProducerRecord<String, byte[]> rawEvent(Event event) {
    return new ProducerRecord<>(
        topics.eventsRaw().name(), null, event.ingestTime(), event.source(), Json.write(event));
  }

  /** Reads {@code events.enriched} until {@code count} events of {@code source} came. */
  private List<EnrichedEvent> readEnriched(int count, String source) {
    List<EnrichedEvent> read = new ArrayList<>();
    JsonSerde<EnrichedEvent> serde = JsonSerde.of(EnrichedEvent.class);
    await()
        .atMost(DEADLINE)
        .until(
            () -> {
              for (ConsumerRecord<String, String> record :
                  consumer.poll(Duration.ofMillis(200))) {
                EnrichedEvent event =
                    serde
                        .deserializer()
                        .deserialize(
                            record.topic(), record.value().getBytes(StandardCharsets.UTF_8));
                if (event.event().source().equals(source)) {
                  read.add(event);
                }
              }
              return read.size() >= count;
            });
    assertThat(read).hasSize(count);
    return read;
  }

  private KafkaProducer<String, byte[]> newProducer() {
    Properties config = new Properties();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString());
    config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "reference-before-events-it");
    config.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
  }

  private KafkaConsumer<String, String> newConsumer() {
    Properties config = new Properties();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString());
    config.put(ConsumerConfig.GROUP_ID_CONFIG, "reference-before-events-it-" + UUID.randomUUID());
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    return new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
  }
}
