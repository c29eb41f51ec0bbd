package io.streamdown.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.streamdown.local.Service;
import io.streamdown.schemas.Topic;
import io.streamdown.schemas.TopicCatalog;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.utils.AppInfoParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * {@code docker-compose.yml}: valid for Compose itself ({@code docker-compose config}, which needs
 * no engine), and consistent with the services' own configuration: ports, probes, broker address,
 * topic names and configs, the Prometheus scrape targets and the broker's version.
 */
class ComposeFileTest {

  private static Map<String, Object> services;

  @BeforeAll
  @SuppressWarnings("unchecked")
  static void renderWithDockerCompose() {
    Optional<java.nio.file.Path> compose = Repository.tool("docker-compose");
    assumeTrue(
        compose.isPresent(),
        "docker-compose is not on the PATH (Debian: apt-get install docker-compose; .ci/run"
            + " installs it), so the compose file cannot be validated");
    ToolRun valid =
        ToolRun.run(Repository.home(), List.of(compose.get().toString(), "config", "-q"));
    assertThat(valid.exitCode()).as(valid.describe()).isZero();
    ToolRun rendered = ToolRun.run(Repository.home(), List.of(compose.get().toString(), "config"));
    assertThat(rendered.exitCode()).as(rendered.describe()).isZero();
    Map<String, Object> file = new Yaml().load(rendered.output());
    services = (Map<String, Object>) file.get("services");
  }

  @Test
  void everyServicePublishesItsConfiguredPortsAndProbesItsReadiness() throws IOException {
    for (Service service : Service.values()) {
      Map<String, Object> compose = map(services, service.moduleName());
      Map<String, Object> config = applicationYml(service);
      int http = ((Number) path(config, "server", "port")).intValue();
      int management = ((Number) path(config, "management", "server", "port")).intValue();

      List<Integer> published = new ArrayList<>();
      for (Object port : list(compose, "ports")) {
        Map<?, ?> mapping = (Map<?, ?>) port;
        assertThat(mapping.get("published").toString()).isEqualTo(mapping.get("target").toString());
        published.add(Integer.parseInt(mapping.get("target").toString()));
      }
      assertThat(published).as(service.moduleName()).contains(management);
      if (service == Service.INGEST || service == Service.QUERY) {
        assertThat(published).as(service.moduleName() + " API").contains(http);
      }

      String probe =
          String.join(" ", (List<String>) (List<?>) list(map(compose, "healthcheck"), "test"));
      assertThat(probe)
          .contains("/dev/tcp/127.0.0.1/" + management)
          .contains("/actuator/health/readiness");
      assertThat(compose.get("mem_limit")).as(service.moduleName() + " mem_limit").isNotNull();

      Map<String, Object> environment = map(compose, "environment");
      assertThat(environment.get("SPRING_KAFKA_BOOTSTRAP_SERVERS")).isEqualTo("kafka:9092");
      assertThat(environment.get("STREAMDOWN_TOPICS_PREFIX"))
          .isEqualTo(TopicCatalog.DEFAULT_PREFIX);
      assertThat(compose.get("image"))
          .isEqualTo("streamdown/" + service.moduleName() + ":" + Service.VERSION);
      assertThat(map(map(compose, "depends_on"), "kafka-init").get("condition"))
          .isEqualTo("service_completed_successfully");
      if (service.kafkaStreams()) {
        String stateDir = environment.get("SPRING_KAFKA_STREAMS_STATE_DIR").toString();
        assertThat(list(compose, "volumes").toString()).contains(":" + stateDir);
      }
    }
  }

  @Test
  void theBrokerIsTheOfficialKraftImageOfTheClientsVersionAndAdvertisesTheServicesAddress() {
    Map<String, Object> kafka = map(services, "kafka");
    assertThat(kafka.get("image")).isEqualTo("apache/kafka:" + AppInfoParser.getVersion());
    Map<String, Object> environment = map(kafka, "environment");
    assertThat(environment.get("KAFKA_PROCESS_ROLES")).isEqualTo("broker,controller");
    assertThat(environment.get("KAFKA_ADVERTISED_LISTENERS").toString())
        .contains("PLAINTEXT://kafka:9092");
    assertThat(map(kafka, "healthcheck")).isNotNull();
    assertThat(map(map(map(services, "kafka-init"), "depends_on"), "kafka").get("condition"))
        .isEqualTo("service_healthy");
  }

  @Test
  void everyStateVolumeIsHandedToTheImagesNonRootUserBeforeTheServicesStart() throws IOException {
    ImageUser user = ImageUser.fromRootPom();
    Map<String, Object> init = map(services, "kafka-init");
    String script = list(init, "command").toString();
    Map<String, String> initMounts = mounts(init);
    for (Service service : Service.values()) {
      if (!service.kafkaStreams()) {
        continue;
      }
      Map<String, Object> compose = map(services, service.moduleName());
      String stateDir =
          map(compose, "environment").get("SPRING_KAFKA_STREAMS_STATE_DIR").toString();
      String volume =
          mounts(compose).entrySet().stream()
              .filter(e -> e.getValue().equals(stateDir))
              .map(Map.Entry::getKey)
              .findFirst()
              .orElseThrow(
                  () -> new AssertionError(service.moduleName() + " has no state volume"));
      String initPath = initMounts.get(volume);
      assertThat(initPath).as("kafka-init mounts " + volume).isNotNull();
      assertThat(script)
          .as("kafka-init hands " + volume + " to " + user)
          .containsPattern(
              "chown " + user + " [^\\n]*" + java.util.regex.Pattern.quote(initPath));
    }
  }

  /** A compose service's named volumes: volume name to mount path (short or long syntax). */
  private static Map<String, String> mounts(Map<String, Object> compose) {
    Map<String, String> mounts = new java.util.HashMap<>();
    for (Object volume : list(compose, "volumes")) {
      if (volume instanceof Map<?, ?> longSyntax) {
        mounts.put(longSyntax.get("source").toString(), longSyntax.get("target").toString());
      } else {
        String[] parts = volume.toString().split(":");
        mounts.put(parts[0], parts[1]);
      }
    }
    return mounts;
  }

  @Test
  void topicInitCreatesEveryCatalogTopicWithItsConfiguration() {
    String script = list(map(services, "kafka-init"), "command").toString();
    for (Topic<?, ?> topic : TopicCatalog.withDefaultPrefix().all()) {
      String line =
          script
              .lines()
              .filter(l -> l.trim().startsWith("create " + topic.name() + " "))
              .findFirst()
              .orElseThrow(() -> new AssertionError("kafka-init does not create " + topic.name()));
      topic
          .configs()
          .forEach((key, value) -> assertThat(line).contains("--config " + key + "=" + value));
    }
    assertThat(script).contains("--partitions " + TopicCatalog.DEFAULT_PARTITIONS);
  }

  @Test
  @SuppressWarnings("unchecked")
  void prometheusScrapesEveryServiceAtItsComposeNameAndManagementPort() throws IOException {
    Map<String, Object> prometheus =
        new Yaml().load(Files.readString(Repository.file("ops/prometheus/prometheus.yml")));
    List<Map<String, Object>> jobs = (List<Map<String, Object>>) prometheus.get("scrape_configs");
    for (Service service : Service.values()) {
      Map<String, Object> job =
          jobs.stream()
              .filter(j -> service.moduleName().equals(j.get("job_name")))
              .findFirst()
              .orElseThrow(() -> new AssertionError("no scrape job " + service.moduleName()));
      int management =
          ((Number) path(applicationYml(service), "management", "server", "port")).intValue();
      assertThat(job.get("metrics_path")).isEqualTo("/actuator/prometheus");
      assertThat(job.get("static_configs").toString())
          .contains(service.moduleName() + ":" + management);
      assertThat(
              map(map(map(services, "prometheus"), "depends_on"), service.moduleName())
                  .get("condition"))
          .isEqualTo("service_healthy");
    }
    assertThat(list(map(services, "grafana"), "volumes").toString())
        .contains("ops/grafana/provisioning:/etc/grafana/provisioning")
        .contains("ops/grafana/dashboards:/var/lib/grafana/dashboards");
  }

  private static Map<String, Object> applicationYml(Service service) throws IOException {
    return new Yaml()
        .load(
            Files.readString(
                Repository.file(service.moduleName() + "/src/main/resources/application.yml")));
  }

  private static Object path(Map<String, Object> root, String... keys) {
    Object node = root;
    for (String key : keys) {
      node = ((Map<?, ?>) node).get(key);
    }
    return node;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Map<String, Object> parent, String key) {
    Object value = parent.get(key);
    assertThat(value).as(key).isInstanceOf(Map.class);
    return (Map<String, Object>) value;
  }

  private static List<Object> list(Map<String, Object> parent, String key) {
    Object value = parent.get(key);
    assertThat(value).as(key).isInstanceOf(List.class);
    @SuppressWarnings("unchecked")
    List<Object> list = (List<Object>) value;
    return list;
  }
}
