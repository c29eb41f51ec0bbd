package io.streamdown.query.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamdown.schemas.Json;
import io.streamdown.schemas.TopicCatalog;
import io.streamdown.web.ApiKeys;
import io.streamdown.web.testing.HostileCase;
import io.streamdown.web.testing.HttpRequestSpec;
import io.streamdown.web.testing.RawHttp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.FileSystemUtils;
import tools.jackson.databind.JsonNode;

/**
 * Hostile requests against the running query service (real Tomcat, Kafka Streams on a real broker,
 * API keys on): each gets its specific 4xx as a problem document and the service stays ready.
 */
@SpringBootTest(
    webEnvironment = WebEnvironment.RANDOM_PORT,
    properties = {
      "management.server.port=0",
      "streamdown.topics.prefix=hostile.",
      "spring.kafka.streams.application-id=streamdown-query-hostile",
      "streamdown.views[0].name=by-source",
      "streamdown.views[0].group-by=type,source",
      "streamdown.views[0].window.type=tumbling",
      "streamdown.views[0].window.size=1m",
      "streamdown.views[0].retention=1d",
      "streamdown.views[1].name=by-type",
      "streamdown.views[1].group-by=type",
      "streamdown.views[1].window.type=tumbling",
      "streamdown.views[1].window.size=1m",
      "streamdown.views[1].retention=1d",
      "streamdown.security.api-keys[0].name=dashboard",
      "streamdown.security.api-keys[0].sha256=${test.hash.query}",
      "streamdown.security.api-keys[0].scopes=query",
      "streamdown.security.api-keys[1].name=producer",
      "streamdown.security.api-keys[1].sha256=${test.hash.ingest}",
      "streamdown.security.api-keys[1].scopes=ingest,reference",
    })
@DirtiesContext
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileQueriesIT {

  private static final TopicCatalog TOPICS = new TopicCatalog("hostile.");
  private static final EmbeddedKafkaKraftBroker BROKER = startBroker();

  static {
    System.setProperty("test.hash.query", ApiKeys.hashOf(QueryHostileCases.QUERY_TOKEN));
    System.setProperty("test.hash.ingest", ApiKeys.hashOf(QueryHostileCases.INGEST_TOKEN));
  }

  // Not @TempDir: with one test instance per class, Spring starts before JUnit fills it in.
  private static final Path STATE_DIR = createStateDir();

  @LocalServerPort int port;
  @LocalManagementPort int managementPort;

  private RawHttp http;
  private RawHttp management;

  private static EmbeddedKafkaKraftBroker startBroker() {
    EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 2);
    broker.brokerProperties(
        Map.of(
            "transaction.state.log.replication.factor", "1",
            "transaction.state.log.min.isr", "1",
            "offsets.topic.replication.factor", "1"));
    broker.afterPropertiesSet();
    broker.addTopics(TOPICS.newTopics(2, Optional.of((short) 1)).toArray(NewTopic[]::new));
    return broker;
  }

  private static Path createStateDir() {
    try {
      return Files.createTempDirectory("hostile-queries");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @AfterAll
  static void removeStateDir() throws IOException {
    FileSystemUtils.deleteRecursively(STATE_DIR);
  }

  @DynamicPropertySource
  static void kafka(DynamicPropertyRegistry registry) {
    registry.add("spring.kafka.bootstrap-servers", BROKER::getBrokersAsString);
    registry.add("spring.kafka.streams.state-dir", STATE_DIR::toString);
  }

  /** The broker as a bean, so it stops after the Streams client when the context closes. */
  @TestConfiguration
  static class Broker {
    @Bean(destroyMethod = "destroy")
    EmbeddedKafkaKraftBroker embeddedBroker() {
      return BROKER;
    }
  }

  @BeforeAll
  void awaitReady() {
    http = new RawHttp("127.0.0.1", port, 30_000);
    management = new RawHttp("127.0.0.1", managementPort, 30_000);
    await().atMost(Duration.ofSeconds(90)).until(() -> readiness() == 200);
  }

  private int readiness() {
    return management
        .send(HttpRequestSpec.of("GET", "/actuator/health/readiness").bytes())
        .status();
  }

  static List<HostileCase> cases() {
    return QueryHostileCases.all();
  }

  @Test
  void theTableHoldsEnoughCases() {
    assertThat(cases()).hasSizeGreaterThanOrEqualTo(100);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void isRefusedWithItsProblem(HostileCase hostile) {
    RawHttp.Response response = http.send(hostile.request().bytes());

    assertThat(response.status()).as(response.body()).isEqualTo(hostile.status());
    assertThat(response.header("Content-Type")).startsWith("application/problem+json");
    JsonNode problem = Json.MAPPER.readTree(response.body());
    assertThat(problem.path("status").asInt()).isEqualTo(hostile.status());
    assertThat(problem.path("title").asString()).isNotBlank();
    assertThat(response.body()).doesNotContain("Exception", "at io.", "at org.");
    assertThat(readiness()).isEqualTo(200);
  }

  @Test
  void aValidKeyReadsTheViews() {
    RawHttp.Response response =
        http.send(
            HttpRequestSpec.of("GET", "/api/v1/views")
                .header("Authorization: Bearer " + QueryHostileCases.QUERY_TOKEN)
                .bytes());
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    assertThat(Json.MAPPER.readTree(response.body()).size()).isEqualTo(2);
  }

  @Test
  void managementPortNeedsNoKeyButExposesOnlyHealthInfoAndPrometheus() {
    for (String open : List.of("/actuator/health", "/actuator/info", "/actuator/prometheus")) {
      assertThat(management.send(HttpRequestSpec.of("GET", open).bytes()).status())
          .as(open)
          .isEqualTo(200);
    }
    for (String hidden :
        List.of(
            "/actuator/env",
            "/actuator/metrics",
            "/actuator/beans",
            "/actuator/heapdump",
            "/actuator/configprops",
            "/api/v1/views")) {
      assertThat(management.send(HttpRequestSpec.of("GET", hidden).bytes()).status())
          .as(hidden)
          .isEqualTo(404);
    }
  }
}
