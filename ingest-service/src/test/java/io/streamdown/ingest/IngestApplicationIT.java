package io.streamdown.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamdown.schemas.Event;
import io.streamdown.schemas.Reference;
import io.streamdown.schemas.Topic;
import io.streamdown.schemas.TopicCatalog;
import io.streamdown.web.testing.RawHttp;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.catalina.connector.Connector;
import org.apache.coyote.AbstractProtocol;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.servlet.context.ServletWebServerApplicationContext;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import tools.jackson.databind.JsonNode;

/**
 * The whole application against a real (embedded, KRaft) broker: what a request answers is what a
 * {@code read_committed} reader finds on the topics.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"management.server.port=0", "streamdown.ingest.kafka.linger=1ms"})
@EmbeddedKafka(
    count = 1,
    bootstrapServersProperty = "spring.kafka.bootstrap-servers",
    brokerProperties = {
      "transaction.state.log.replication.factor=1",
      "transaction.state.log.min.isr=1",
      "auto.create.topics.enable=false"
    })
class IngestApplicationIT {

  private static final Duration WITHIN = Duration.ofSeconds(30);
  private static boolean topicsCreated;

  @LocalServerPort int port;
  @LocalManagementPort int managementPort;
  @Autowired EmbeddedKafkaBroker broker;
  @Autowired TopicCatalog topics;
  @Autowired ServletWebServerApplicationContext context;
  @Autowired ProducerFactory<byte[], byte[]> producers;

  private HttpCalls http;

  @BeforeEach
  void setUp() {
    if (!topicsCreated) {
      broker.addTopics(topics.newTopics(2, Optional.of((short) 1)).toArray(NewTopic[]::new));
      topicsCreated = true;
    }
    http = new HttpCalls(port);
  }

  /** Reads a topic from the start, committed records only, until {@code done} holds. */
  private <V> List<ConsumerRecord<String, V>> readCommitted(
      Topic<String, V> topic,
      Predicate<ConsumerRecord<String, V>> wanted,
      Predicate<List<ConsumerRecord<String, V>>> done) {
    Map<String, Object> props = new HashMap<>();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString());
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    List<ConsumerRecord<String, V>> found = new ArrayList<>();
    try (KafkaConsumer<String, V> consumer =
        new KafkaConsumer<>(
            props, topic.keySerde().deserializer(), topic.valueSerde().deserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic.name()).stream()
              .map(info -> new TopicPartition(info.topic(), info.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      await()
          .atMost(WITHIN)
          .until(
              () -> {
                consumer
                    .poll(Duration.ofMillis(200))
                    .forEach(
                        record -> {
                          if (wanted.test(record)) {
                            found.add(record);
                          }
                        });
                return done.test(found);
              });
    }
    return found;
  }

  @Test
  void batchLandsOnEventsRawAsOneCommittedTransaction() {
    String run = UUID.randomUUID().toString();
    List<String> sources = List.of("a-" + run, "b-" + run, "c-" + run);
    long before = System.currentTimeMillis();

    HttpResponse<String> response =
        http.post(
            "/api/v1/events",
            "application/json",
            "[{\"eventId\":\"id-1-"
                + run
                + "\",\"source\":\""
                + sources.get(0)
                + "\","
                + "\"type\":\"temp\",\"value\":20.5,\"attributes\":{\"unit\":\"C\"}},"
                + "{\"source\":\""
                + sources.get(1)
                + "\",\"type\":\"temp\",\"time\":1700000000000},"
                + "{\"source\":\""
                + sources.get(2)
                + "\",\"type\":\"door\","
                + "\"time\":\"2026-01-01T00:00:00+02:00\"}]");
    long after = System.currentTimeMillis();

    assertThat(response.statusCode()).isEqualTo(202);
    JsonNode body = HttpCalls.json(response);
    assertThat(body.get("accepted").asInt()).isEqualTo(3);
    List<String> ids = new ArrayList<>();
    body.get("eventIds").forEach(id -> ids.add(id.asString()));
    assertThat(ids).hasSize(3).startsWith("id-1-" + run).doesNotHaveDuplicates();

    List<ConsumerRecord<String, Event>> records =
        readCommitted(
            topics.eventsRaw(),
            record -> sources.contains(record.key()),
            found -> found.size() >= 3);

    assertThat(records).hasSize(3);
    Map<String, Event> bySource = new HashMap<>();
    for (ConsumerRecord<String, Event> record : records) {
      Event event = record.value();
      assertThat(record.key()).isEqualTo(event.source());
      assertThat(event.ingestTime()).isBetween(before, after);
      assertThat(record.timestamp()).isEqualTo(event.ingestTime());
      bySource.put(event.source(), event);
    }
    Event first = bySource.get(sources.get(0));
    assertThat(first.eventId()).isEqualTo(ids.get(0));
    assertThat(first.value()).isEqualTo(20.5);
    assertThat(first.attributes()).isEqualTo(Map.of("unit", "C"));
    assertThat(first.time()).isEqualTo(first.ingestTime());
    assertThat(bySource.get(sources.get(1)).eventId()).isEqualTo(ids.get(1));
    assertThat(bySource.get(sources.get(1)).time()).isEqualTo(1_700_000_000_000L);
    assertThat(bySource.get(sources.get(2)).eventId()).isEqualTo(ids.get(2));
    assertThat(bySource.get(sources.get(2)).time())
        .isEqualTo(java.time.Instant.parse("2025-12-31T22:00:00Z").toEpochMilli());
  }

  @Test
  void singleNdjsonEventIsWrittenByTheIdempotentProducer() {
    String source = "single-" + UUID.randomUUID();

    HttpResponse<String> response =
        http.post(
            "/api/v1/events",
            "application/x-ndjson",
            "\n{\"source\":\"" + source + "\",\"type\":\"ping\"}\n");

    assertThat(response.statusCode()).isEqualTo(202);
    String id = HttpCalls.json(response).get("eventIds").get(0).asString();
    List<ConsumerRecord<String, Event>> records =
        readCommitted(
            topics.eventsRaw(), record -> source.equals(record.key()), found -> !found.isEmpty());
    assertThat(records)
        .singleElement()
        .satisfies(
            record -> {
              assertThat(record.value().eventId()).isEqualTo(id);
              assertThat(record.value().type()).isEqualTo("ping");
            });
  }

  @Test
  void aKeptAliveConnectionCarriesManyOneEventPosts() {
    // Tomcat's default answers the 100th request of a connection with Connection: close, which
    // made clients of one event per POST reconnect every few seconds.
    String source = "kept-alive-" + UUID.randomUUID();
    byte[] body =
        ("{\"source\":\"" + source + "\",\"type\":\"ping\"}").getBytes(StandardCharsets.UTF_8);
    byte[] request =
        RawHttp.request(
            "POST /api/v1/events HTTP/1.1",
            List.of(
                "Host: localhost",
                "Content-Type: application/json",
                "Content-Length: " + body.length),
            body);

    List<RawHttp.Response> responses =
        new RawHttp("127.0.0.1", port, 30_000)
            .sendOnOneConnection(Collections.nCopies(150, request));

    assertThat(responses)
        .hasSize(150)
        .allSatisfy(
            response -> {
              assertThat(response.status()).isEqualTo(202);
              assertThat(response.header("connection")).isNotEqualToIgnoringCase("close");
            });
    assertThat(
            readCommitted(
                topics.eventsRaw(),
                record -> source.equals(record.key()),
                found -> found.size() >= 150))
        .hasSize(150);
  }

  @Test
  void theConnectorKeepsAProcessorForEveryRequestInFlightOfABusyClient() {
    // Event POSTs are async: each one in flight holds a processor, and with Tomcat's default cache
    // of 200 every processor above 200 in flight was dropped and rebuilt.
    Connector connector = ((TomcatWebServer) context.getWebServer()).getTomcat().getConnector();
    assertThat(((AbstractProtocol<?>) connector.getProtocolHandler()).getProcessorCache())
        .isEqualTo(512);
  }

  @Test
  void invalidBatchWritesNothing() {
    String source = "invalid-" + UUID.randomUUID();

    HttpResponse<String> rejected =
        http.post(
            "/api/v1/events",
            "application/json",
            "[{\"source\":\"" + source + "\",\"type\":\"t\"},{\"source\":\"" + source + "\"}]");
    HttpResponse<String> marker =
        http.post(
            "/api/v1/events",
            "application/json",
            "{\"source\":\"" + source + "\",\"type\":\"marker\"}");

    assertThat(rejected.statusCode()).isEqualTo(422);
    assertThat(rejected.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(marker.statusCode()).isEqualTo(202);
    // Once the later marker is visible, anything of the rejected batch would be too.
    List<ConsumerRecord<String, Event>> records =
        readCommitted(
            topics.eventsRaw(),
            record -> source.equals(record.key()),
            found -> found.stream().anyMatch(r -> r.value().type().equals("marker")));
    assertThat(records).extracting(r -> r.value().type()).containsExactly("marker");
  }

  @Test
  void referenceUpsertAndDeleteLandOnTheReferenceTopic() {
    String source = "ref-" + UUID.randomUUID();

    HttpResponse<String> put =
        http.put(
            "/api/v1/reference/" + source, "application/json", "{\"site\":\"north\",\"floor\":2}");
    HttpResponse<String> delete = http.delete("/api/v1/reference/" + source);

    assertThat(put.statusCode()).isEqualTo(200);
    JsonNode stored = HttpCalls.json(put);
    assertThat(stored.get("source").asString()).isEqualTo(source);
    assertThat(delete.statusCode()).isEqualTo(204);
    List<ConsumerRecord<String, Reference>> records =
        readCommitted(
            topics.reference(), record -> source.equals(record.key()), found -> found.size() >= 2);
    assertThat(records).hasSize(2);
    Reference upsert = records.get(0).value();
    assertThat(upsert.attributes()).containsEntry("site", "north").containsEntry("floor", 2);
    assertThat(upsert.updatedAt()).isEqualTo(stored.get("updatedAt").asLong());
    assertThat(records.get(1).value()).as("tombstone").isNull();
  }

  @Test
  void actuatorReportsReadinessAndIngestAndProducerMetrics() {
    String source = "metrics-" + UUID.randomUUID();
    assertThat(
            http.post(
                    "/api/v1/events",
                    "application/json",
                    "[{\"source\":\""
                        + source
                        + "\",\"type\":\"t\"},{\"source\":\""
                        + source
                        + "\",\"type\":\"t\"}]")
                .statusCode())
        .isEqualTo(202);
    HttpCalls management = new HttpCalls(managementPort);

    await()
        .atMost(WITHIN)
        .untilAsserted(
            () -> {
              var readiness = management.get("/actuator/health/readiness");
              assertThat(readiness.statusCode()).isEqualTo(200);
              assertThat(readiness.body()).contains("\"kafkaWrite\"");
            });
    await()
        .atMost(WITHIN)
        .untilAsserted(
            () -> {
              String metrics = management.get("/actuator/prometheus").body();
              assertThat(metrics)
                  .contains("streamdown_ingest_events_accepted_total")
                  .contains("streamdown_ingest_events_rejected_total{")
                  .contains("streamdown_ingest_requests_seconds_count{")
                  .contains("kafka_producer_");
            });
  }

  @Test
  void theProducersLingerAsConfigured() {
    assertThat(producers.getConfigurationProperties())
        .containsEntry(ProducerConfig.LINGER_MS_CONFIG, 1);
  }

  @Test
  void unknownRouteIsAProblem() {
    HttpResponse<String> response = http.get("/api/v1/nowhere");

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(HttpCalls.json(response).get("status").asInt()).isEqualTo(404);
  }
}
