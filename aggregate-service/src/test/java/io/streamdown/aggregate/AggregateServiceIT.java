package io.streamdown.aggregate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamdown.aggregate.config.AggregateSettings;
import io.streamdown.schemas.AggregateKey;
import io.streamdown.schemas.AggregatePartitioner;
import io.streamdown.schemas.DeadLetters;
import io.streamdown.schemas.EnrichedEvent;
import io.streamdown.schemas.EnrichedKeying;
import io.streamdown.schemas.Event;
import io.streamdown.schemas.FieldPath;
import io.streamdown.schemas.GroupKey;
import io.streamdown.schemas.Json;
import io.streamdown.schemas.TopicCatalog;
import io.streamdown.schemas.ViewDefinition;
import io.streamdown.schemas.WindowAggregate;
import io.streamdown.schemas.WindowType;
import io.streamdown.support.StreamsClientSupplier;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.util.ReflectionTestUtils;

/**
 * The service as deployed, with its shipped configuration, against an in-JVM broker: every
 * configured view aggregates the events it can key, aggregates are partitioned by view and group,
 * garbage is dead-lettered, and health and metrics are served on the management port.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.kafka.bootstrap-servers=${spring.embedded.kafka.brokers}",
      "management.server.port=0"
    })
@EmbeddedKafka(
    partitions = AggregateServiceIT.PARTITIONS,
    topics = {"streamdown.events.enriched", "streamdown.events.dlq", "streamdown.aggregates"},
    brokerProperties = {
      "transaction.state.log.replication.factor=1",
      "transaction.state.log.min.isr=1"
    })
// Closes the context (Streams first, then the broker) when the class ends, before the JVM's
// shutdown hooks remove the broker's and the state's directories.
@DirtiesContext
class AggregateServiceIT {

  static final int PARTITIONS = 3;
  private static final Duration DEADLINE = Duration.ofSeconds(90);
  // Deleted after the class's context is closed (see @DirtiesContext), not before.
  @TempDir static Path stateDir;

  @Autowired private EmbeddedKafkaBroker broker;
  @Autowired private AggregateSettings settings;
  @Autowired StreamsBuilderFactoryBean factoryBean;
  @LocalManagementPort private int managementPort;

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @DynamicPropertySource
  static void stateDir(DynamicPropertyRegistry registry) {
    registry.add("spring.kafka.streams.state-dir", stateDir::toString);
  }

  /** As shipped, the exactly-once producer flushes once per commit (streams-support README). */
  @Test
  void kafkaStreamsClientsFlushOncePerCommit() {
    // The factory bean keeps the supplier in a field without a getter.
    assertThat(ReflectionTestUtils.getField(factoryBean, "clientSupplier"))
        .isInstanceOf(StreamsClientSupplier.class);
  }

  @Test
  void aggregatesEveryConfiguredViewAndServesHealthAndMetrics() throws Exception {
    TopicCatalog topics = settings.topicCatalog();
    await()
        .atMost(DEADLINE)
        .untilAsserted(() -> assertThat(get("/actuator/health/readiness")).contains("UP"));

    long now = System.currentTimeMillis();
    long minute = now - now % 60_000;
    int events = 5;
    List<EnrichedEvent> sent = new ArrayList<>();
    for (int i = 0; i < events; i++) {
      sent.add(
          new EnrichedEvent(
              new Event(
                  "it-" + i,
                  "dev-1",
                  "temp",
                  minute + i * 1_000,
                  10.0 + i,
                  Map.of("floor", 3),
                  now),
              Map.of("region", "eu")));
    }
    byte[] garbage = "{not json".getBytes(StandardCharsets.UTF_8);
    // Every other event as enrich writes it by default: keyed by its group in the first view, in
    // that group's partition, marked. The rest as a version that keyed by source wrote them: in
    // another partition, so the two paths meet in one task only if both partition alike.
    EnrichedKeying keying = settings.keying().orElseThrow();
    int regrouped = 0;
    try (KafkaProducer<String, byte[]> producer =
        EnrichedRecords.producer(broker.getBrokersAsString())) {
      for (int i = 0; i < sent.size(); i++) {
        if (i % 2 == 0) {
          producer.send(
              EnrichedRecords.keyedByEnrich(topics, keying, sent.get(i), PARTITIONS, now));
        } else {
          producer.send(EnrichedRecords.keyedBySource(topics, sent.get(i), now));
          regrouped++;
        }
      }
      producer.send(
          new ProducerRecord<>(topics.eventsEnriched().name(), null, now, "dev-x", garbage));
      producer.flush();
    }

    Map<AggregateKey, WindowAggregate> latest = new HashMap<>();
    List<ConsumerRecord<byte[], byte[]>> deadLetters = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> aggregates = consumer(topics.aggregates().name());
        KafkaConsumer<byte[], byte[]> dlq = consumer(topics.eventsDlq().name())) {
      await()
          .atMost(DEADLINE)
          .untilAsserted(
              () -> {
                for (ConsumerRecord<byte[], byte[]> record :
                    aggregates.poll(Duration.ofMillis(200))) {
                  AggregateKey key = Json.read(record.key(), AggregateKey.class);
                  assertThat(record.partition())
                      .isEqualTo(
                          AggregatePartitioner.partition(
                              key.view(), new GroupKey(key.group()).encode(), PARTITIONS));
                  if (record.value() == null) {
                    // A session superseded as it grew: read as the topic's readers do.
                    latest.remove(key);
                    continue;
                  }
                  WindowAggregate value = Json.read(record.value(), WindowAggregate.class);
                  assertThat(value.key()).isEqualTo(key);
                  latest.put(key, value);
                }
                dlq.poll(Duration.ofMillis(100)).forEach(deadLetters::add);
                for (ViewDefinition view : settings.views()) {
                  assertViewAggregatedEverything(view, sent, latest);
                }
                assertThat(deadLetters).hasSize(1);
              });
    }
    ConsumerRecord<byte[], byte[]> deadLetter = deadLetters.get(0);
    assertThat(deadLetter.value()).isEqualTo(garbage);
    assertThat(DeadLetters.header(deadLetter.headers(), DeadLetters.STAGE)).isEqualTo("aggregate");

    String metrics = get("/actuator/prometheus");
    assertThat(metrics)
        .contains("kafka_stream_")
        .contains("streamdown_freshness_aggregated_seconds_bucket")
        .containsPattern("streamdown_dlq_records_total\\{[^}]*stage=\"aggregate\"")
        .containsPattern(
            "streamdown_aggregate_regrouped_events_total\\{[^}]*view=\""
                + keying.view().name()
                + "\"[^}]*} "
                + regrouped
                + ".0");
  }

  /** Each window of the view that contains the events holds all of them, if the view keys them. */
  private static void assertViewAggregatedEverything(
      ViewDefinition view, List<EnrichedEvent> sent, Map<AggregateKey, WindowAggregate> latest) {
    List<String> group =
        view.fieldPaths().stream().map(path -> path.resolve(sent.get(0))).toList();
    List<WindowAggregate> ofView =
        latest.values().stream().filter(a -> a.view().equals(view.name())).toList();
    if (group.stream().anyMatch(Objects::isNull)) {
      assertThat(ofView).as("view %s cannot key the events", view.name()).isEmpty();
      return;
    }
    if (view.window().type() == WindowType.SESSION) {
      // The events are a second apart, well within the gap: one session from first to last.
      assertThat(ofView).as("sessions of view %s", view.name()).singleElement()
          .satisfies(
              session -> {
                assertThat(session.windowStart()).isEqualTo(sent.get(0).event().time());
                assertThat(session.windowEnd())
                    .isEqualTo(sent.get(sent.size() - 1).event().time());
              });
    } else if (view.window().type() != WindowType.SLIDING) {
      long windows = view.window().size().toMillis() / view.window().advance().toMillis();
      assertThat(ofView).as("windows of view %s", view.name()).hasSize((int) windows);
    }
    for (WindowAggregate aggregate : ofView) {
      assertThat(aggregate.count()).as("view %s", view.name()).isEqualTo(sent.size());
      assertThat(List.copyOf(aggregate.group().values())).isEqualTo(group);
      assertThat(aggregate.group().keySet())
          .containsExactlyElementsOf(view.fieldPaths().stream().map(FieldPath::path).toList());
    }
  }

  private String get(String path) throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://localhost:" + managementPort + path))
            .timeout(Duration.ofSeconds(10))
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString()).body();
  }

  private KafkaConsumer<byte[], byte[]> consumer(String topic) {
    return EnrichedRecords.consumerFromStart(broker.getBrokersAsString(), topic, PARTITIONS);
  }

}
