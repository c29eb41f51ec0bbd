package io.streamdown.ingest.hostile;

import static io.streamdown.ingest.hostile.IngestHostileCases.INGEST_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamdown.schemas.Json;
import io.streamdown.schemas.TopicCatalog;
import io.streamdown.web.testing.HostileCase;
import io.streamdown.web.testing.HttpRequestSpec;
import io.streamdown.web.testing.RawHttp;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import tools.jackson.databind.JsonNode;

/**
 * Hostile requests against the running service (real Tomcat, real broker, API keys on): each gets
 * its specific 4xx as a problem document, the service stays healthy, and the end offsets of {@code
 * events.raw} and {@code reference} (read_committed) do not move, so nothing at all was written for
 * any of them, not even an aborted transaction.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "management.server.port=0",
      "server.tomcat.connection-timeout=2s",
      "streamdown.ingest.limits.max-body-bytes=256KB",
      "streamdown.ingest.limits.max-batch-events=100",
      "streamdown.ingest.limits.max-event-bytes=96KB",
      "streamdown.security.api-keys[0].name=producer",
      "streamdown.security.api-keys[0].sha256=${test.hash.ingest}",
      "streamdown.security.api-keys[0].scopes=ingest",
      "streamdown.security.api-keys[1].name=catalog",
      "streamdown.security.api-keys[1].sha256=${test.hash.reference}",
      "streamdown.security.api-keys[1].scopes=reference",
      "streamdown.security.api-keys[2].name=dashboard",
      "streamdown.security.api-keys[2].sha256=${test.hash.query}",
      "streamdown.security.api-keys[2].scopes=query",
    })
@EmbeddedKafka(
    count = 1,
    bootstrapServersProperty = "spring.kafka.bootstrap-servers",
    brokerProperties = {
      "transaction.state.log.replication.factor=1",
      "transaction.state.log.min.isr=1",
      "auto.create.topics.enable=false"
    })
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileRequestsIT {

  static {
    // The keys' hashes, computed rather than pasted, for the property placeholders above.
    System.setProperty("test.hash.ingest", io.streamdown.web.ApiKeys.hashOf(INGEST_TOKEN));
    System.setProperty(
        "test.hash.reference",
        io.streamdown.web.ApiKeys.hashOf(IngestHostileCases.REFERENCE_TOKEN));
    System.setProperty(
        "test.hash.query", io.streamdown.web.ApiKeys.hashOf(IngestHostileCases.QUERY_TOKEN));
  }

  @LocalServerPort int port;
  @LocalManagementPort int managementPort;
  @Autowired EmbeddedKafkaBroker broker;
  @Autowired TopicCatalog topics;

  private KafkaConsumer<byte[], byte[]> consumer;
  private List<TopicPartition> partitions;
  private RawHttp http;
  private RawHttp management;
  private int refused;

  @BeforeAll
  void setUp() {
    broker.addTopics(topics.newTopics(2, Optional.of((short) 1)).toArray(NewTopic[]::new));
    Map<String, Object> props = new HashMap<>();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString());
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    partitions =
        Stream.of(topics.eventsRaw().name(), topics.reference().name())
            .flatMap(
                topic ->
                    consumer.partitionsFor(topic).stream()
                        .map(info -> new TopicPartition(topic, info.partition())))
            .toList();
    http = new RawHttp("127.0.0.1", port, 30_000);
    management = new RawHttp("127.0.0.1", managementPort, 30_000);
  }

  @AfterAll
  void tearDown() {
    consumer.close();
  }

  static List<HostileCase> cases() {
    return IngestHostileCases.all();
  }

  private Map<TopicPartition, Long> endOffsets() {
    return consumer.endOffsets(partitions, Duration.ofSeconds(10));
  }

  @Test
  void theTableHoldsEnoughCases() {
    assertThat(cases()).hasSizeGreaterThanOrEqualTo(150);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void isRefusedWithItsProblemAndWritesNothing(HostileCase hostile) {
    Map<TopicPartition, Long> before = endOffsets();

    RawHttp.Response response = http.send(hostile.request().bytes());

    assertThat(response.status()).as(response.body()).isEqualTo(hostile.status());
    assertThat(response.header("Content-Type")).startsWith("application/problem+json");
    JsonNode problem = Json.MAPPER.readTree(response.body());
    assertThat(problem.path("status").asInt()).isEqualTo(hostile.status());
    assertThat(problem.path("title").asString()).isNotBlank();
    assertThat(response.body()).doesNotContain("Exception", "at io.", "at org.");
    assertThat(management.send(HttpRequestSpec.of("GET", "/actuator/health").bytes()).status())
        .isEqualTo(200);
    assertThat(endOffsets()).isEqualTo(before);
    refused++;
  }

  /** The offsets would move for a write: proven with one accepted request. */
  @Test
  void anAcceptedRequestDoesMoveTheOffsets() {
    Map<TopicPartition, Long> before = endOffsets();
    RawHttp.Response response =
        http.send(
            HttpRequestSpec.of("POST", "/api/v1/events")
                .header("Authorization: Bearer " + INGEST_TOKEN)
                .header("Content-Type: application/json")
                .body("{\"source\":\"probe\",\"type\":\"t\",\"value\":1}")
                .bytes());
    assertThat(response.status()).as(response.body()).isEqualTo(202);
    await().atMost(Duration.ofSeconds(10)).until(() -> !endOffsets().equals(before));
  }

  @Test
  void managementPortNeedsNoKeyButExposesOnlyHealthInfoAndPrometheus() {
    // Health is UP once the producer has fetched the topics' metadata, in the background.
    byte[] health = HttpRequestSpec.of("GET", "/actuator/health").bytes();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(management.send(health).status()).isEqualTo(200));
    assertThat(management.send(HttpRequestSpec.of("GET", "/actuator/prometheus").bytes()).status())
        .isEqualTo(200);
    assertThat(management.send(HttpRequestSpec.of("GET", "/actuator/info").bytes()).status())
        .isEqualTo(200);
    for (String hidden :
        List.of(
            "/actuator/env",
            "/actuator/metrics",
            "/actuator/beans",
            "/actuator/heapdump",
            "/actuator/configprops",
            "/actuator/loggers",
            "/actuator/threaddump")) {
      assertThat(management.send(HttpRequestSpec.of("GET", hidden).bytes()).status())
          .as(hidden)
          .isEqualTo(404);
    }
    // The API is not served on the management port, so keys cannot be side-stepped there.
    assertThat(
            management
                .send(
                    HttpRequestSpec.of("POST", "/api/v1/events")
                        .header("Content-Type: application/json")
                        .body("{\"source\":\"side\",\"type\":\"t\"}")
                        .bytes())
                .status())
        .isEqualTo(404);
  }
}
