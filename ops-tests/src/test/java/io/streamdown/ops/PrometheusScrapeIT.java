package io.streamdown.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.streamdown.local.PortCheck;
import io.streamdown.local.PortPlan;
import io.streamdown.local.Service;
import io.streamdown.local.ServiceProcess;
import io.streamdown.local.StackLauncher;
import io.streamdown.local.StackOptions;
import io.streamdown.schemas.TopicCatalog;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;

/**
 * A real Prometheus server (the {@code prometheus} binary on the {@code PATH}) scraping a running
 * stack: the four services as processes on a real broker, scraped every 2 s with the project's
 * alert rules loaded. Asserts through Prometheus' HTTP API that every target is up, that the key
 * series exist and move while events flow, that every rule evaluates without error and that the
 * dead-letter alert fires on a poison record. The same running stack also serves the OpenAPI
 * documents of ingest and query, checked against the endpoints they describe.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PrometheusScrapeIT {

  private static final Duration DEADLINE = Duration.ofSeconds(90);
  private static final String PREFIX = "ops.";
  private static final List<String> ALERTS =
      List.of(
          "StreamdownInstanceDown",
          "StreamdownFreshnessSloBurn",
          "StreamdownConsumerLagGrowing",
          "StreamdownDeadLetters",
          "StreamdownLateEventsDropped",
          "StreamdownEnrichedKeyMismatch");

  private static final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static StackLauncher stack;
  private static PrometheusServer prometheus;
  private static Path workDir;

  @BeforeAll
  static void startStackAndPrometheus() throws IOException {
    Optional<Path> binary = Repository.tool("prometheus");
    assumeTrue(
        binary.isPresent(),
        "the prometheus binary is not on the PATH (Debian: apt-get install prometheus; .ci/run"
            + " installs it), so the real-Prometheus test cannot run");
    Files.createDirectories(Repository.buildDir());
    workDir = Files.createTempDirectory(Repository.buildDir(), "prometheus-it-");
    // The services run from copies of their jars: a rebuild in the working tree while this test
    // runs must not replace a jar under a running JVM.
    Path home = workDir.resolve("home");
    for (Service service : Service.values()) {
      Path jar = service.jar(home);
      Files.createDirectories(jar.getParent());
      Files.copy(service.jar(Repository.home()), jar);
    }
    StackOptions options =
        StackOptions.builder(home)
            .dataDir(workDir.resolve("stack"))
            .ports(PortPlan.freePorts())
            .topicPrefix(PREFIX)
            .addJvmOptions(StackOptions.SHORT_LIVED_JVM_OPTIONS)
            .build();
    stack = new StackLauncher(options).onProgress(line -> System.out.println("[stack] " + line));
    stack.start();
    Map<String, List<String>> jobs = new LinkedHashMap<>();
    for (ServiceProcess service : stack.services()) {
      jobs.put(
          service.service().moduleName(), List.of("127.0.0.1:" + service.ports().management()));
    }
    prometheus =
        PrometheusServer.start(
            binary.get(),
            workDir.resolve("prometheus"),
            PortCheck.freePorts(1)[0],
            jobs,
            List.of(Repository.file("ops/prometheus/alerts.yml")));
  }

  @AfterAll
  static void stop() {
    try {
      if (stack != null) {
        // The last scrape of every service, kept next to the logs for whoever reads metrics.md.
        for (ServiceProcess service : stack.services()) {
          try {
            Files.writeString(
                workDir.resolve(service.service().moduleName() + ".prom"),
                get(service.urls().prometheus()).body());
          } catch (IOException | RuntimeException e) {
            System.out.println("no last scrape of " + service.service().moduleName() + ": " + e);
          }
        }
      }
    } finally {
      try {
        if (prometheus != null) {
          prometheus.close();
        }
      } finally {
        if (stack != null) {
          stack.close();
        }
      }
    }
  }

  @Test
  @Order(1)
  void everyServiceIsAnUpTarget() {
    Set<String> expected =
        stack.services().stream()
            .map(s -> s.service().moduleName())
            .collect(Collectors.toCollection(TreeSet::new));
    assertThat(expected).hasSize(Service.values().length);
    await()
        .atMost(DEADLINE)
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              JsonNode targets = prometheus.api("targets", Map.of()).get("activeTargets");
              Set<String> up = new TreeSet<>();
              for (JsonNode target : targets) {
                if ("up".equals(target.get("health").asString())) {
                  up.add(target.get("labels").get("job").asString());
                }
              }
              assertThat(up).isEqualTo(expected);
              assertThat(prometheus.sum("sum(up)")).isEqualTo(expected.size());
            });
  }

  @Test
  @Order(2)
  void jvmAndKafkaFamiliesAreScrapedFromEveryService() {
    await()
        .atMost(DEADLINE)
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              assertThat(jobsOf("jvm_memory_used_bytes")).hasSize(4);
              assertThat(jobsOf("process_cpu_usage")).hasSize(4);
              // Every Streams service exposes its Streams client and consumer metrics.
              assertThat(jobsOf("kafka_stream_thread_process_total"))
                  .containsExactlyInAnyOrder(
                      "enrich-service", "aggregate-service", "query-service");
              assertThat(jobsOf("kafka_consumer_fetch_manager_records_lag"))
                  .containsExactlyInAnyOrder(
                      "enrich-service", "aggregate-service", "query-service");
              assertThat(jobsOf("kafka_stream_task_restore_remaining_records_total"))
                  .containsExactlyInAnyOrder(
                      "enrich-service", "aggregate-service", "query-service");
            });
  }

  @Test
  @Order(3)
  void keySeriesMoveWhenEventsFlow() {
    Map<String, String> moving = new LinkedHashMap<>();
    moving.put("accepted", "sum(streamdown_ingest_events_accepted_total)");
    moving.put("requests", "sum(streamdown_ingest_requests_seconds_count)");
    moving.put("matched", "sum(streamdown_enrich_events_total{outcome=\"matched\"})");
    // The first events of the run give enrich's de-duplication its first Bloom filters.
    moving.put("filters", "sum(streamdown_enrich_dedupe_filter_bytes)");
    moving.put("aggregated", "sum(streamdown_freshness_aggregated_seconds_count)");
    moving.put("queryable", "sum(streamdown_freshness_queryable_seconds_count)");
    moving.put("processed", "sum(kafka_stream_thread_process_total)");
    Map<String, Double> before = new LinkedHashMap<>();
    moving.forEach((name, promql) -> before.put(name, prometheus.sum(promql)));

    assertThat(accepted("PUT", ingest("/api/v1/reference/boiler-1"), "{\"region\":\"eu-west\"}"))
        .isEqualTo(200);
    long now = System.currentTimeMillis();
    String events =
        IntStream.range(0, 50)
            .mapToObj(
                i ->
                    "{\"source\":\"boiler-1\",\"type\":\"temp\",\"time\":"
                        + (now - i)
                        + ",\"value\":"
                        + i
                        + "}")
            .collect(Collectors.joining(",", "[", "]"));
    assertThat(accepted("POST", ingest("/api/v1/events"), events)).isEqualTo(202);

    await()
        .atMost(DEADLINE)
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              for (Map.Entry<String, String> series : moving.entrySet()) {
                assertThat(prometheus.sum(series.getValue()))
                    .as(series.getKey() + ": " + series.getValue())
                    .isGreaterThan(before.get(series.getKey()));
              }
              assertThat(prometheus.sum("sum(streamdown_ingest_events_accepted_total)"))
                  .isGreaterThanOrEqualTo(before.get("accepted") + 50);
              // Ingest's producer exists from its first write on; then its client metrics show.
              assertThat(
                      prometheus.sum(
                          "sum(kafka_producer_record_send_total{job=\"ingest-service\"})"))
                  .isGreaterThanOrEqualTo(1);
            });
    // Request latencies are histograms, so quantiles aggregate across instances.
    assertThat(jobsOf("streamdown_ingest_requests_seconds_bucket"))
        .containsExactly("ingest-service");
    assertThat(jobsOf("http_server_requests_seconds_bucket")).contains("ingest-service");
    // The alert rules select the bucket nearest 10 s by its exact bound.
    assertThat(
            prometheus.query("streamdown_freshness_queryable_seconds_bucket{le=\"10.021590356\"}"))
        .isNotEmpty();

    // Freshness is a histogram: its p99 over the flow is computable and positive.
    await()
        .atMost(DEADLINE)
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () ->
                assertThat(
                        prometheus.sum(
                            "histogram_quantile(0.99, sum by (le)"
                                + " (rate(streamdown_freshness_queryable_seconds_bucket[1m])))"))
                    .isPositive());
  }

  @Test
  @Order(4)
  void queryLatencyIsRecordedPerEndpoint() {
    HttpResponse<String> response =
        get(
            stack
                .service(Service.QUERY)
                .urls()
                .url("/api/v1/views/by-source/windows?type=temp&source=boiler-1"));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    await()
        .atMost(DEADLINE)
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () ->
                assertThat(
                        prometheus.sum(
                            "streamdown_query_requests_seconds_count{endpoint=\"windows\"}"))
                    .isGreaterThanOrEqualTo(1));
  }

  @Test
  @Order(5)
  void everyAlertRuleLoadsAndEvaluates() {
    await()
        .atMost(DEADLINE)
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              Map<String, String> health = new LinkedHashMap<>();
              for (JsonNode group : prometheus.api("rules", Map.of()).get("groups")) {
                for (JsonNode rule : group.get("rules")) {
                  health.put(
                      rule.get("name").asString(),
                      rule.get("health").asString() + " " + rule.path("lastError").asString(""));
                }
              }
              assertThat(health.keySet()).containsAll(ALERTS);
              assertThat(health).allSatisfy((name, state) -> assertThat(state).isEqualTo("ok "));
            });
    // A healthy stack fires none of them (dead letters come next). A pending instance-down is
    // possible on a loaded machine, where a scrape can miss its timeout once.
    assertThat(prometheus.query("ALERTS{alertstate=\"firing\"}")).isEmpty();
  }

  @Test
  @Order(6)
  void aPoisonRecordRaisesTheDeadLetterAlert() {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
      producer.send(
          new ProducerRecord<>(
              new TopicCatalog(PREFIX).eventsRaw().name(), "boiler-1", "{not json"));
      producer.flush();
    }
    await()
        .atMost(DEADLINE)
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              assertThat(prometheus.sum("streamdown_dlq_records_total{stage=\"enrich\"}"))
                  .isEqualTo(1.0);
              assertThat(
                      prometheus.query("ALERTS{alertname=\"StreamdownDeadLetters\"}").stream()
                          .map(s -> s.labels().get("job") + "/" + s.labels().get("stage"))
                          .toList())
                  .containsExactly("enrich-service/enrich");
            });
  }

  @Test
  @Order(7)
  void everyDashboardQueryRunsAndTheKeyPanelsShowData() {
    List<String> jobs = stack.services().stream().map(s -> s.service().moduleName()).toList();
    // Polled: a scrape that missed its timeout on a loaded machine leaves a gap for a moment.
    await()
        .atMost(DEADLINE)
        .pollInterval(Duration.ofSeconds(1))
        .untilAsserted(
            () -> {
              List<String> empty = new java.util.ArrayList<>();
              for (Dashboards.Query query : Dashboards.queries()) {
                for (String job : query.expr().contains("$job") ? jobs : List.of("")) {
                  // Throws with Prometheus' error if the expression does not parse or evaluate.
                  if (prometheus.query(query.resolve(job)).isEmpty()) {
                    empty.add(
                        query.dashboard()
                            + " / "
                            + query.panel()
                            + (job.isEmpty() ? "" : " / " + job));
                  }
                }
              }
              // No late events or rejections happened and ingest has no RocksDB: those may be
              // empty.
              assertThat(empty)
                  .noneMatch(
                      panel ->
                          panel.contains("Throughput per stage")
                              || panel.contains("Consumer lag")
                              || panel.contains("Freshness p99")
                              || panel.contains("Heap used")
                              || panel.contains("Request latency")
                              || panel.contains("CPU")
                              || panel.contains("Targets up"));
            });
  }

  @Test
  @Order(8)
  void openApiDocumentsDescribeTheRealEndpoints() {
    Map<Service, Set<String>> expected =
        Map.of(
            Service.INGEST,
            Set.of("POST /api/v1/events", "PUT /api/v1/reference/{source}"),
            Service.QUERY,
            Set.of(
                "GET /api/v1/views",
                "GET /api/v1/views/{view}/windows",
                "GET /api/v1/views/{view}/rollup",
                "GET /api/v1/views/{view}/top"));
    for (Map.Entry<Service, Set<String>> service : expected.entrySet()) {
      URI docs = stack.service(service.getKey()).urls().url("/v3/api-docs");
      HttpResponse<String> response = get(docs);
      assertThat(response.statusCode()).as(docs + ": " + response.body()).isEqualTo(200);
      JsonNode document = io.streamdown.schemas.Json.MAPPER.readTree(response.body());
      assertThat(document.get("openapi").asString()).startsWith("3.");
      Set<String> operations = new TreeSet<>();
      document
          .get("paths")
          .properties()
          .forEach(
              path ->
                  path.getValue()
                      .propertyNames()
                      .forEach(
                          method ->
                              operations.add(
                                  method.toUpperCase(java.util.Locale.ROOT)
                                      + " "
                                      + path.getKey())));
      assertThat(operations).as(docs.toString()).containsAll(service.getValue());
      // Every documented GET answers on the real service (a 4xx for missing parameters is an
      // answer; 404 or 405 would mean the document describes a route that does not exist).
      for (String operation : operations) {
        if (!operation.startsWith("GET ")) {
          continue;
        }
        String path =
            operation.substring(4).replace("{view}", "by-source").replace("{source}", "boiler-1");
        HttpResponse<String> answer = get(stack.service(service.getKey()).urls().url(path));
        assertThat(answer.statusCode()).as(operation + ": " + answer.body()).isNotIn(404, 405);
        assertThat(answer.statusCode()).as(operation + ": " + answer.body()).isLessThan(500);
      }
    }
  }

  private static Set<String> jobsOf(String metric) {
    return prometheus.query("count by (job) (" + metric + ")").stream()
        .map(s -> s.labels().get("job"))
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static URI ingest(String path) {
    return stack.service(Service.INGEST).urls().url(path);
  }

  /**
   * Sends until the answer is not 503: under load, ingest answers 503 (with Retry-After) when Kafka
   * does not acknowledge in time, and a client retries, as a producer would.
   */
  private static int accepted(String method, URI uri, String json) {
    int[] status = new int[1];
    await()
        .atMost(DEADLINE)
        .pollInterval(Duration.ofSeconds(2))
        .until(
            () -> {
              status[0] = send(method, uri, json);
              return status[0] != 503;
            });
    return status[0];
  }

  private static int send(String method, URI uri, String json) {
    try {
      return http.send(
              HttpRequest.newBuilder(uri)
                  .timeout(Duration.ofSeconds(30))
                  .header("Content-Type", "application/json")
                  .method(method, HttpRequest.BodyPublishers.ofString(json))
                  .build(),
              HttpResponse.BodyHandlers.ofString())
          .statusCode();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static HttpResponse<String> get(URI uri) {
    try {
      return http.send(
          HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET().build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
