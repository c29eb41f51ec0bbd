package io.streamdown.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamdown.schemas.AggregateKey;
import io.streamdown.schemas.AggregatePartitioner;
import io.streamdown.schemas.DeadLetters;
import io.streamdown.schemas.Json;
import io.streamdown.schemas.TopicCatalog;
import io.streamdown.schemas.WindowAggregate;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The whole service against an in-JVM broker: aggregates written to the topic become queryable
 * over HTTP, garbage becomes a dead letter, and the metrics are exposed.
 */
@SpringBootTest(
    webEnvironment = WebEnvironment.RANDOM_PORT,
    properties = {
      "management.server.port=0",
      "streamdown.topics.prefix=it.",
      "spring.kafka.streams.application-id=streamdown-query-it",
      "spring.kafka.streams.properties.commit.interval.ms=100",
      "streamdown.views[0].name=by-source",
      "streamdown.views[0].group-by=type,source",
      "streamdown.views[0].window.type=tumbling",
      "streamdown.views[0].window.size=1m",
      "streamdown.views[0].retention=1d",
      "streamdown.views[1].name=by-type-5m",
      "streamdown.views[1].group-by=type",
      "streamdown.views[1].window.type=hopping",
      "streamdown.views[1].window.size=5m",
      "streamdown.views[1].window.advance=1m",
    })
@DirtiesContext
class QueryServiceIT {

  private static final int PARTITIONS = 3;
  private static final TopicCatalog TOPICS = new TopicCatalog("it.");
  private static final EmbeddedKafkaKraftBroker BROKER = TestBroker.start(PARTITIONS, TOPICS);

  @TempDir static Path stateDir;

  @LocalServerPort int port;
  @LocalManagementPort int managementPort;

  private final HttpClient http = HttpClient.newHttpClient();

  @DynamicPropertySource
  static void kafka(DynamicPropertyRegistry registry) {
    registry.add("spring.kafka.bootstrap-servers", BROKER::getBrokersAsString);
    registry.add("spring.kafka.streams.state-dir", () -> stateDir.toString());
  }

  /** The broker as a bean, so it stops after the Streams client when the context closes. */
  @TestConfiguration
  static class Broker {
    @Bean(destroyMethod = "destroy")
    EmbeddedKafkaKraftBroker embeddedBroker() {
      return BROKER;
    }
  }

  @Test
  void aggregatesOnTheTopicAreServedOverHttp() throws Exception {
    long start = Instant.parse("2025-03-01T10:00:00Z").toEpochMilli();
    long now = System.currentTimeMillis();
    WindowAggregate first =
        Aggregates.withValues(
            TestViews.BY_SOURCE, List.of("temp", "dev-1"), start, now, 1.0, 2.0, 3.0);
    WindowAggregate second =
        Aggregates.withValues(
            TestViews.BY_SOURCE, List.of("temp", "dev-1"), start + 60_000, now, 10);
    WindowAggregate other =
        Aggregates.withValues(
            TestViews.BY_SOURCE, List.of("temp", "dev-2"), start + 60_000, now, 4);
    byte[] garbage = "{not json".getBytes(StandardCharsets.UTF_8);

    try (KafkaProducer<byte[], byte[]> producer = producer()) {
      // One at a time: a batch the broker rejects would take its neighbours with it.
      for (WindowAggregate aggregate : List.of(first, second, other)) {
        producer.send(record(aggregate.key(), Json.write(aggregate))).get();
      }
      producer.send(record(new AggregateKey("by-source", List.of("x", "y"), start), garbage)).get();
    }

    String series =
        "/api/v1/views/by-source/windows?type=temp&source=dev-1&from=" + start + "&to="
            + (start + 120_000);
    JsonNode windows = awaitJson(series, body -> body.get("windows").size() == 2);
    assertThat(windows.get("windows").get(0).get("count").asLong()).isEqualTo(first.count());
    assertThat(windows.get("windows").get(1).get("sum").asDouble()).isEqualTo(second.sum());

    JsonNode rollup =
        getJson(
            "/api/v1/views/by-source/rollup?type=temp&source=dev-1&from=" + start + "&to="
                + (start + 120_000));
    assertThat(rollup.get("count").asLong()).isEqualTo(first.count() + second.count());
    assertThat(rollup.get("max").asDouble()).isEqualTo(second.max());

    // dev-2 lives in another partition: its aggregate may be stored after dev-1's.
    JsonNode top =
        awaitJson("/api/v1/views/by-source/top?by=sum", body -> body.get("entries").size() == 2);
    assertThat(top.get("windowStart").asString())
        .isEqualTo(Instant.ofEpochMilli(start + 60_000).toString());
    assertThat(top.get("entries").get(0).get("key").get("source").asString()).isEqualTo("dev-1");
    assertThat(top.get("entries").get(1).get("key").get("source").asString()).isEqualTo("dev-2");

    HttpResponse<String> unknown = get(port, "/api/v1/views/nope/top");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.headers().firstValue("Content-Type")).hasValueSatisfying(
        type -> assertThat(type).startsWith("application/problem+json"));

    ConsumerRecord<byte[], byte[]> letter = readOneDeadLetter();
    assertThat(letter.value()).isEqualTo(garbage);
    assertThat(DeadLetters.header(letter.headers(), DeadLetters.STAGE)).isEqualTo("query");

    String metrics = get(managementPort, "/actuator/prometheus").body();
    assertThat(metrics)
        .contains("streamdown_freshness_queryable_seconds_count")
        .contains("streamdown_query_requests_seconds_count{endpoint=\"windows\"")
        .contains("streamdown_dlq_records_total{error=")
        .contains("kafka_stream_");
    assertThat(get(managementPort, "/actuator/health/readiness").body()).contains("\"UP\"");
  }

  private static ProducerRecord<byte[], byte[]> record(AggregateKey key, byte[] value) {
    int partition =
        AggregatePartitioner.partition(key.view(), key.groupKey().encode(), PARTITIONS);
    return new ProducerRecord<>(
        TOPICS.aggregates().name(), partition, Json.write(key), value);
  }

  private static KafkaProducer<byte[], byte[]> producer() {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, BROKER.getBrokersAsString());
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    return new KafkaProducer<>(props);
  }

  private static ConsumerRecord<byte[], byte[]> readOneDeadLetter() {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, BROKER.getBrokersAsString());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(TOPICS.eventsDlq().name()));
      return await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                var records = consumer.poll(Duration.ofMillis(500));
                return records.isEmpty() ? null : records.iterator().next();
              },
              letter -> letter != null);
    }
  }

  private JsonNode awaitJson(String path, Predicate<JsonNode> ready) {
    return await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(250))
        .until(
            () -> {
              HttpResponse<String> response = get(port, path);
              return response.statusCode() == 200 ? Json.MAPPER.readTree(response.body()) : null;
            },
            body -> body != null && ready.test(body));
  }

  private JsonNode getJson(String path) throws Exception {
    HttpResponse<String> response = get(port, path);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return Json.MAPPER.readTree(response.body());
  }

  private HttpResponse<String> get(int targetPort, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://localhost:" + targetPort + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
