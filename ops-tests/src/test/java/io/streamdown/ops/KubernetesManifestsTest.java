package io.streamdown.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.streamdown.local.Service;
import io.streamdown.schemas.TopicCatalog;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.Yaml;

/**
 * The kustomize base and production overlay under {@code k8s/}, rendered by {@code kubectl
 * kustomize} and checked for the invariants a typo breaks silently: selectors match pod labels,
 * Services and ServiceMonitors point at ports that exist, container ports and probes match the
 * services' own configuration, Streams services keep state on volumes, images are the ones Jib
 * builds and run as their non-root user, and every workload has a disruption budget and memory
 * limits.
 */
class KubernetesManifestsTest {

  private static final String NAME = "app.kubernetes.io/name";

  @ParameterizedTest
  @ValueSource(strings = {"k8s/base", "k8s/overlays/production"})
  void renderedManifestsAreConsistentWithTheServices(String kustomization) throws IOException {
    List<Map<String, Object>> objects = render(kustomization);
    boolean production = kustomization.contains("production");

    for (Service service : Service.values()) {
      String name = service.moduleName();
      Map<String, Object> workload =
          find(objects, service.kafkaStreams() ? "StatefulSet" : "Deployment", name);
      Map<String, Object> spec = map(workload, "spec");
      Map<String, Object> podLabels = map(map(map(spec, "template"), "metadata"), "labels");
      Map<String, Object> selector = map(map(spec, "selector"), "matchLabels");
      assertThat(podLabels).as(name + " pod labels").containsAllEntriesOf(selector);

      Map<String, Object> container = list(map(map(spec, "template"), "spec"), "containers").get(0);
      Map<String, Object> config = applicationYml(service);
      int http = ((Number) path(config, "server", "port")).intValue();
      int management = ((Number) path(config, "management", "server", "port")).intValue();
      Map<String, Integer> ports = new java.util.HashMap<>();
      for (Map<String, Object> port : list(container, "ports")) {
        ports.put(port.get("name").toString(), ((Number) port.get("containerPort")).intValue());
      }
      assertThat(ports)
          .as(name + " ports")
          .containsEntry("http", http)
          .containsEntry("management", management);

      String image = container.get("image").toString();
      String jibImage = "streamdown/" + name + ":" + Service.VERSION;
      if (production) {
        assertThat(image).endsWith("/" + jibImage).isNotEqualTo(jibImage);
        // query-service answers from local stores only (no routing between instances yet).
        assertThat(((Number) spec.get("replicas")).intValue())
            .isBetween(service == Service.QUERY ? 1 : 2, TopicCatalog.DEFAULT_PARTITIONS);
        if (service == Service.QUERY) {
          assertThat(spec.get("replicas")).isEqualTo(1);
        }
      } else {
        assertThat(image).isEqualTo(jibImage);
      }

      for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
        Map<String, Object> get = map(map(container, probe), "httpGet");
        assertThat(get.get("port")).as(name + " " + probe).isEqualTo("management");
        assertThat(get.get("path").toString())
            .isIn("/actuator/health/liveness", "/actuator/health/readiness");
      }
      assertThat(path(container, "readinessProbe", "httpGet", "path"))
          .isEqualTo("/actuator/health/readiness");
      assertThat(path(container, "livenessProbe", "httpGet", "path"))
          .isEqualTo("/actuator/health/liveness");
      assertThat(probesEnabled(service)).as(name + " enables the health probe groups").isTrue();

      // The image's user (Jib <user>) is not root, and the pod says so (runAsNonRoot fails a pod
      // whose image would run as root); a state volume must be writable by that group.
      ImageUser user = ImageUser.fromRootPom();
      assertThat(user.uid()).as("image uid").isPositive();
      Map<String, Object> pod = map(map(spec, "template"), "spec");
      assertThat(path(pod, "securityContext", "runAsNonRoot")).as(name).isEqualTo(true);
      assertThat(path(pod, "securityContext", "runAsUser")).as(name).isEqualTo(user.uid());
      assertThat(path(pod, "securityContext", "runAsGroup")).as(name).isEqualTo(user.gid());
      if (service.kafkaStreams()) {
        assertThat(path(pod, "securityContext", "fsGroup")).as(name).isEqualTo(user.gid());
      }
      assertThat(path(container, "securityContext", "runAsUser")).as(name).isNull();
      assertThat(path(container, "securityContext", "runAsNonRoot")).as(name).isNotEqualTo(false);

      assertThat(path(container, "resources", "limits", "memory")).as(name).isNotNull();
      assertThat(path(container, "resources", "requests", "memory"))
          .isEqualTo(path(container, "resources", "limits", "memory"));

      for (Map<String, Object> source : list(container, "envFrom")) {
        if (source.containsKey("configMapRef")) {
          find(objects, "ConfigMap", path(source, "configMapRef", "name").toString());
        } else {
          find(objects, "Secret", path(source, "secretRef", "name").toString());
        }
      }

      if (service.kafkaStreams()) {
        Map<String, Object> headless = find(objects, "Service", spec.get("serviceName").toString());
        assertThat(path(headless, "spec", "clusterIP")).isEqualTo("None");
        String claim =
            path(list(spec, "volumeClaimTemplates").get(0), "metadata", "name").toString();
        String stateDir =
            list(container, "env").stream()
                .filter(e -> "SPRING_KAFKA_STREAMS_STATE_DIR".equals(e.get("name")))
                .map(e -> e.get("value").toString())
                .findFirst()
                .orElseThrow();
        assertThat(list(container, "volumeMounts"))
            .anySatisfy(
                mount -> {
                  assertThat(mount.get("name")).isEqualTo(claim);
                  assertThat(mount.get("mountPath")).isEqualTo(stateDir);
                });
      }

      List<Map<String, Object>> budgets =
          objects.stream()
              .filter(o -> "PodDisruptionBudget".equals(o.get("kind")))
              .filter(
                  o ->
                      podLabels
                          .entrySet()
                          .containsAll(
                              map(map(map(o, "spec"), "selector"), "matchLabels").entrySet()))
              .toList();
      assertThat(budgets).as(name + " disruption budgets").hasSize(1);

      // Every Service of the app selects its pods and targets ports the container names.
      List<Map<String, Object>> services =
          objects.stream()
              .filter(o -> "Service".equals(o.get("kind")))
              .filter(o -> name.equals(path(o, "metadata", "labels", NAME)))
              .toList();
      assertThat(services).isNotEmpty();
      for (Map<String, Object> svc : services) {
        assertThat(podLabels).containsAllEntriesOf(map(map(svc, "spec"), "selector"));
        for (Map<String, Object> port : list(map(svc, "spec"), "ports")) {
          assertThat(ports).containsKey(port.get("targetPort").toString());
        }
      }

      // The ServiceMonitor scrapes exactly one Service of the app, on its management port, with
      // the app name as job label (which the alert rules and dashboards select on).
      Map<String, Object> monitor = find(objects, "ServiceMonitor", name);
      assertThat(path(monitor, "spec", "jobLabel")).isEqualTo(NAME);
      Map<String, Object> monitored = map(map(map(monitor, "spec"), "selector"), "matchLabels");
      List<Map<String, Object>> scraped =
          services.stream()
              .filter(
                  s ->
                      map(s, "metadata").get("labels") instanceof Map<?, ?> labels
                          && labels.entrySet().containsAll(monitored.entrySet()))
              .toList();
      assertThat(scraped).as(name + " Services scraped").hasSize(1);
      assertThat(map(scraped.get(0), "metadata").get("labels"))
          .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
          .containsEntry(NAME, name);
      Map<String, Object> endpoint = list(map(monitor, "spec"), "endpoints").get(0);
      assertThat(endpoint.get("path")).isEqualTo("/actuator/prometheus");
      assertThat(list(map(scraped.get(0), "spec"), "ports"))
          .anySatisfy(p -> assertThat(p.get("name")).isEqualTo(endpoint.get("port")));
    }

    if (production) {
      Set<String> namespaces = new HashSet<>();
      objects.stream()
          .filter(o -> !"Namespace".equals(o.get("kind")))
          .forEach(o -> namespaces.add(Objects.toString(path(o, "metadata", "namespace"))));
      assertThat(namespaces).containsExactly("streamdown");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"k8s/base", "k8s/overlays/production"})
  void everyObjectIsValidAgainstTheKubernetesApiSchemas(String kustomization) throws IOException {
    java.nio.file.Path validator = Repository.file("k8s/validate");
    Optional<java.nio.file.Path> node = Repository.tool("node");
    assumeTrue(
        node.isPresent() && Files.isDirectory(validator.resolve("node_modules")),
        "node or k8s/validate/node_modules is missing: run `npm ci --prefix k8s/validate`"
            + " (.ci/run does) to validate against the Kubernetes API schemas");
    java.nio.file.Path rendered = Files.createTempFile("streamdown-k8s-", ".yaml");
    try {
      Files.writeString(rendered, renderText(kustomization));
      ToolRun run =
          ToolRun.run(
              validator,
              List.of(node.get().toString(), validator.resolve("validate.mjs").toString()),
              rendered);
      assertThat(run.exitCode()).as(run.describe()).isZero();
      assertThat(run.output()).as(run.describe()).contains(" 0 invalid").doesNotContain("INVALID");
    } finally {
      Files.deleteIfExists(rendered);
    }
  }

  private static String renderText(String kustomization) {
    Optional<java.nio.file.Path> kubectl = Repository.tool("kubectl");
    assumeTrue(kubectl.isPresent(), "kubectl is not on the PATH, so kustomize cannot render k8s/");
    ToolRun run =
        ToolRun.run(
            Repository.home(),
            List.of(
                kubectl.get().toString(), "kustomize", Repository.file(kustomization).toString()));
    assertThat(run.exitCode()).as(run.describe()).isZero();
    return run.output();
  }

  private static List<Map<String, Object>> render(String kustomization) {
    List<Map<String, Object>> objects = new ArrayList<>();
    for (Object document : new Yaml().loadAll(renderText(kustomization))) {
      if (document != null) {
        @SuppressWarnings("unchecked")
        Map<String, Object> object = (Map<String, Object>) document;
        objects.add(object);
      }
    }
    return objects;
  }

  private static boolean probesEnabled(Service service) throws IOException {
    Map<String, Object> own = applicationYml(service);
    if (Boolean.TRUE.equals(path(own, "management", "endpoint", "health", "probes", "enabled"))) {
      return true;
    }
    Object imports = path(own, "spring", "config", "import");
    if (imports == null || !imports.toString().contains("classpath:streamdown-streams.yml")) {
      return false;
    }
    Map<String, Object> shared =
        new Yaml()
            .load(
                Files.readString(
                    Repository.file("streams-support/src/main/resources/streamdown-streams.yml")));
    return Boolean.TRUE.equals(
        path(shared, "management", "endpoint", "health", "probes", "enabled"));
  }

  private static Map<String, Object> find(
      List<Map<String, Object>> objects, String kind, String name) {
    return objects.stream()
        .filter(o -> kind.equals(o.get("kind")) && name.equals(path(o, "metadata", "name")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " named " + name));
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
      if (!(node instanceof Map<?, ?> map)) {
        return null;
      }
      node = map.get(key);
    }
    return node;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Map<String, Object> parent, String key) {
    Object value = parent.get(key);
    assertThat(value).as(key).isInstanceOf(Map.class);
    return (Map<String, Object>) value;
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> list(Map<String, Object> parent, String key) {
    Object value = parent.get(key);
    assertThat(value).as(key).isInstanceOf(List.class);
    return (List<Map<String, Object>>) value;
  }
}
