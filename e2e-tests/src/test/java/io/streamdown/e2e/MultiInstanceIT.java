package io.streamdown.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamdown.e2e.Http.Response;
import io.streamdown.e2e.Workload.Posted;
import io.streamdown.local.PortPlan;
import io.streamdown.local.Service;
import io.streamdown.local.ServiceInstance;
import io.streamdown.local.ServiceProcess;
import io.streamdown.local.StackLauncher;
import io.streamdown.local.StackOptions;
import io.streamdown.schemas.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Scale-out as users run it: one broker, one ingest and three instances each of enrich, aggregate
 * and query as separate processes ({@code ./streamdown up --instances 3}). Streams a known
 * workload and checks that every query instance gives the same exact answers for every key, that
 * queries keep being answered (200, or 503 with Retry-After) while an aggregate and a query
 * instance are killed mid-stream, that nothing is lost or counted twice, and that the killed
 * instances come back ready only once their stores are restored.
 *
 * <p>Prints, without asserting on them, the time from the kill until queries were answered again,
 * each restarted instance's time to ready, and query latencies of local versus routed keys.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MultiInstanceIT {

  private static final int INSTANCES = 3;
  private static final String PREFIX = "multi.";
  private static final String VIEW = "by-source";
  private static final List<String> FIELDS = List.of("type", "source");
  private static final Duration DEADLINE = Duration.ofSeconds(150);
  private static final ServiceInstance KILLED_AGGREGATE =
      new ServiceInstance(Service.AGGREGATE, 1);
  private static final ServiceInstance KILLED_QUERY = new ServiceInstance(Service.QUERY, 1);

  private static final Http http = new Http();
  private static StackLauncher stack;
  private static long firstBase;
  private static long secondBase;
  private static final List<Posted> posted = new CopyOnWriteArrayList<>();

  /** One answer seen while instances were down. */
  private record Observation(
      Instant at, URI instance, int status, boolean retryAfter, boolean stale) {}

  @BeforeAll
  static void startStack() throws Exception {
    Path dataDir = E2eStacks.dataDir("multi");
    stack =
        E2eStacks.start(
            StackOptions.builder(snapshotOfServiceJars(dataDir.resolve("jars")))
                .dataDir(dataDir)
                .topicPrefix(PREFIX)
                .ports(PortPlan.freePorts(INSTANCES))
                .instances(INSTANCES)
                .startTimeout(Duration.ofSeconds(300))
                .addJvmOptions(StackOptions.SHORT_LIVED_JVM_OPTIONS)
                // A killed member is noticed after the session timeout; Kafka Streams' 45 s
                // default would make the test wait most of its time for it.
                .addAppArgs(List.of("--spring.kafka.streams.properties.session.timeout.ms=10000"))
                .build());
    long now = System.currentTimeMillis();
    long minute = now - Math.floorMod(now, 60_000L);
    firstBase = minute - 20 * 60_000L;
    secondBase = minute - 10 * 60_000L;
    for (Map.Entry<String, String> entry : Workload.REGIONS.entrySet()) {
      Response response =
          http.send(
              "PUT",
              ingest("/api/v1/reference/" + entry.getKey()),
              "application/json",
              "{\"region\":\"" + entry.getValue() + "\"}");
      assertThat(response.status()).as(response.body()).isEqualTo(200);
    }
  }

  @AfterAll
  static void stopStack() throws IOException {
    if (stack != null) {
      stack.close();
      for (Service service : Service.values()) {
        Files.deleteIfExists(service.jar(stack.options().home()));
      }
    }
  }

  /**
   * Copies of the service jars below {@code home}, which serves as the stack's repository root:
   * the test restarts services minutes after the start, and a jar rebuilt meanwhile (another
   * build in the same tree) would give the restarted instances other code than the rest, or break
   * a running JVM that loads classes lazily from the replaced file. Removed after the test.
   */
  private static Path snapshotOfServiceJars(Path home) throws IOException {
    for (Service service : Service.values()) {
      Path jar = service.jar(home);
      Files.createDirectories(jar.getParent());
      Files.copy(service.jar(E2eStacks.home()), jar);
    }
    return home;
  }

  @Test
  @Order(1)
  void everyQueryInstanceAnswersEveryKeyIdenticallyAndExactly() {
    List<Posted> events = events("multi-a-", firstBase, 300, 31L);
    postAll(events);

    assertThat(stack.instances(Service.QUERY)).hasSize(INSTANCES);
    awaitExactEverywhere(stack.instances(Service.QUERY));
  }

  @Test
  @Order(2)
  void killingAnAggregateAndAQueryInstanceMidStreamLosesNothing() throws Exception {
    List<Posted> events = events("multi-b-", secondBase, 600, 32L);
    List<List<Posted>> chunks = chunks(events, 20);
    List<ServiceProcess> survivors =
        stack.instances(Service.QUERY).stream()
            .filter(process -> !process.instance().equals(KILLED_QUERY))
            .toList();
    List<Observation> observations = new CopyOnWriteArrayList<>();
    AtomicBoolean polling = new AtomicBoolean(true);
    ExecutorService background = Executors.newFixedThreadPool(2);
    Instant killedAt;
    try {
      Future<?> poller =
          background.submit(
              () -> {
                Random random = new Random(7);
                while (polling.get()) {
                  for (ServiceProcess survivor : survivors) {
                    Posted key = events.get(random.nextInt(events.size()));
                    Response response =
                        get(survivor.url(windowsPath(keyOf(key), firstBase, secondBase + 60_000L)));
                    boolean stale =
                        response.status() == 200
                            && response.json().path("servedBy").path("stale").asBoolean(false);
                    observations.add(
                        new Observation(
                            Instant.now(),
                            survivor.urls().http(),
                            response.status(),
                            response.header("Retry-After").isPresent(),
                            stale));
                  }
                }
                return null;
              });
      // A third of the workload, then the kills, then the rest while queries go on.
      int third = chunks.size() / 3;
      chunks.subList(0, third).forEach(MultiInstanceIT::post);
      killedAt = Instant.now();
      assertThat(stack.killService(KILLED_AGGREGATE)).isEqualTo(137);
      assertThat(stack.killService(KILLED_QUERY)).isEqualTo(137);
      report("killed %s and %s", KILLED_AGGREGATE, KILLED_QUERY);
      Future<?> producer =
          background.submit(
              () -> {
                chunks.subList(third, chunks.size()).forEach(MultiInstanceIT::post);
                return null;
              });
      producer.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);

      awaitExactEverywhere(survivors);
      polling.set(false);
      poller.get(30, TimeUnit.SECONDS);
    } finally {
      polling.set(false);
      background.shutdownNow();
    }

    List<Observation> after = observations.stream().filter(o -> o.at().isAfter(killedAt)).toList();
    assertThat(after).isNotEmpty();
    assertThat(after)
        .as("answers of the surviving query instances after the kills")
        .allSatisfy(
            o -> {
              if (o.status() != 200) {
                assertThat(o.status())
                    .as("status at %s from %s", o.at(), o.instance())
                    .isEqualTo(503);
                assertThat(o.retryAfter()).as("Retry-After of a 503").isTrue();
              }
            });
    long unavailable = after.stream().filter(o -> o.status() == 503).count();
    Instant lastUnavailable =
        after.stream()
            .filter(o -> o.status() == 503)
            .map(Observation::at)
            .max(Comparator.naturalOrder())
            .orElse(killedAt);
    long stale = after.stream().filter(Observation::stale).count();
    Instant lastStale =
        after.stream()
            .filter(Observation::stale)
            .map(Observation::at)
            .max(Comparator.naturalOrder())
            .orElse(killedAt);
    report(
        "after SIGKILL: %d answers, %d of them 503, %d stale (standby); queries answered again"
            + " %.1f s after the kill, fresh (no standby reads) again after %.1f s",
        after.size(),
        unavailable,
        stale,
        Duration.between(killedAt, lastUnavailable).toMillis() / 1000.0,
        Duration.between(killedAt, lastStale).toMillis() / 1000.0);
  }

  @Test
  @Order(3)
  void restartedInstancesAreReadyOnlyAfterTheirRestoreAndAnswerExactly() throws Exception {
    Map<ServiceInstance, ServiceProcess> restarted = new LinkedHashMap<>();
    Instant restartedAt = Instant.now();
    for (ServiceInstance instance : List.of(KILLED_AGGREGATE, KILLED_QUERY)) {
      restarted.put(instance, stack.startServiceNoWait(instance));
    }
    Map<ServiceInstance, Instant> readyAt = new LinkedHashMap<>();
    Map<ServiceInstance, List<JsonNode>> probes = new LinkedHashMap<>();
    restarted.keySet().forEach(instance -> probes.put(instance, new ArrayList<>()));
    await()
        .atMost(DEADLINE)
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              boolean allUp = true;
              for (Map.Entry<ServiceInstance, ServiceProcess> entry : restarted.entrySet()) {
                assertThat(entry.getValue().isAlive()).as(entry.getKey() + " alive").isTrue();
                List<JsonNode> seen = probes.get(entry.getKey());
                if (!seen.isEmpty() && isUp(seen.get(seen.size() - 1))) {
                  continue;
                }
                Response response = get(entry.getValue().readinessUrl());
                if (response.status() == Http.NOT_LISTENING) {
                  allUp = false; // not listening yet
                  continue;
                }
                JsonNode body = response.json();
                seen.add(body);
                if (isUp(body)) {
                  readyAt.put(entry.getKey(), Instant.now());
                } else {
                  allUp = false;
                }
              }
              return allUp;
            });

    for (Map.Entry<ServiceInstance, List<JsonNode>> entry : probes.entrySet()) {
      List<JsonNode> seen = entry.getValue();
      JsonNode ready = streamsDetail(seen.get(seen.size() - 1));
      // Ready means running with nothing restoring; while a store was restoring the instance
      // said so and was not ready. (Whether it restores at all depends on the assignment: the
      // assignor may first give a returning instance only warm-up copies, which catch up as
      // standbys, outside the restore callbacks.)
      assertThat(ready.get("state").asString()).isEqualTo("RUNNING");
      assertThat(ready.get("restoring")).isEmpty();
      assertThat(seen)
          .as("probes of %s", entry.getKey())
          .filteredOn(p -> !streamsDetail(p).path("restoring").isEmpty())
          .noneMatch(MultiInstanceIT::isUp);
      long restoringProbes =
          seen.stream().filter(p -> !streamsDetail(p).path("restoring").isEmpty()).count();
      report(
          "%s ready %.1f s after its restart (%d probes, %d saw stores restoring,"
              + " %d store partitions restored)",
          entry.getKey(),
          Duration.between(restartedAt, readyAt.get(entry.getKey())).toMillis() / 1000.0,
          seen.size(),
          restoringProbes,
          ready.get("restoresCompleted").asLong());
    }

    awaitExactEverywhere(stack.instances(Service.QUERY));
  }

  @Test
  @Order(4)
  void measuresLocalAndRoutedQueryLatency() {
    List<List<String>> keys = new ArrayList<>(expected().keySet());
    Map<String, List<Long>> nanosByRoute = new TreeMap<>();
    Random random = new Random(11);
    List<ServiceProcess> queries = stack.instances(Service.QUERY);
    for (int i = 0; i < 600; i++) {
      List<String> key = keys.get(random.nextInt(keys.size()));
      ServiceProcess instance = queries.get(random.nextInt(queries.size()));
      long start = System.nanoTime();
      Response response =
          get(instance.url(windowsPath(keyMap(key), firstBase, secondBase + 60_000L)));
      long took = System.nanoTime() - start;
      assertThat(response.status()).as(response.body()).isEqualTo(200);
      String route = response.json().path("servedBy").path("route").asString("unknown");
      nanosByRoute.computeIfAbsent(route, r -> new ArrayList<>()).add(took);
    }
    assertThat(nanosByRoute).containsKeys("local", "routed");
    nanosByRoute.forEach(
        (route, nanos) -> {
          Collections.sort(nanos);
          report(
              "windows query, %s keys: n=%d p50=%.2f ms p99=%.2f ms",
              route,
              nanos.size(),
              nanos.get((int) Math.floor(0.50 * (nanos.size() - 1))) / 1e6,
              nanos.get((int) Math.floor(0.99 * (nanos.size() - 1))) / 1e6);
        });
  }

  /**
   * Prints a measurement and appends it to {@code measurements.txt} in the stack's data
   * directory, where it survives a test JVM whose output is lost.
   */
  private static void report(String format, Object... args) {
    String line = "[multi] " + String.format(Locale.ROOT, format, args);
    System.out.println(line);
    try {
      Files.writeString(
          stack.options().dataDir().resolve("measurements.txt"),
          line + System.lineSeparator(),
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits until each instance answers exactly for every key, the same as the others. */
  private static void awaitExactEverywhere(List<ServiceProcess> instances) {
    Map<List<String>, Map<Long, List<Long>>> expected = expected();
    await()
        .atMost(DEADLINE)
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              for (Map.Entry<List<String>, Map<Long, List<Long>>> entry : expected.entrySet()) {
                Map<String, String> key = keyMap(entry.getKey());
                List<JsonNode> answers = new ArrayList<>();
                for (ServiceProcess instance : instances) {
                  JsonNode windows =
                      json(instance, windowsPath(key, firstBase, secondBase + 60_000L));
                  assertWindowsExact(instance, key, windows.get("windows"), entry.getValue());
                  JsonNode rollup = json(instance, rollupPath(key));
                  assertRollupExact(instance, key, rollup, entry.getValue());
                  answers.add(withoutServedBy(windows));
                  answers.add(withoutServedBy(rollup));
                }
                for (int i = 2; i < answers.size(); i++) {
                  assertThat(answers.get(i)).isEqualTo(answers.get(i % 2));
                }
              }
              for (long window :
                  List.of(firstBase, firstBase + 60_000L, secondBase, secondBase + 60_000L)) {
                Map<String, Integer> counts = new TreeMap<>();
                expected.forEach(
                    (group, windows) -> {
                      List<Long> values = windows.get(window);
                      if (values != null) {
                        counts.put(group.get(0) + "/" + group.get(1), values.size());
                      }
                    });
                for (ServiceProcess instance : instances) {
                  JsonNode top = json(instance, topPath(window));
                  assertThat(top.get("partial").asBoolean())
                      .as("top partial on %s", instance)
                      .isFalse();
                  Map<String, Integer> actual = new TreeMap<>();
                  for (JsonNode entry : top.get("entries")) {
                    actual.put(
                        entry.get("key").get("type").asString()
                            + "/"
                            + entry.get("key").get("source").asString(),
                        entry.get("count").asInt());
                  }
                  assertThat(actual).as("top of %s on %s", window, instance).isEqualTo(counts);
                }
              }
            });
  }

  private static void assertWindowsExact(
      ServiceProcess instance,
      Map<String, String> key,
      JsonNode actual,
      Map<Long, List<Long>> expected) {
    assertThat(actual).as("windows of %s on %s", key, instance).hasSize(expected.size());
    int i = 0;
    for (Map.Entry<Long, List<Long>> window : expected.entrySet()) {
      JsonNode w = actual.get(i++);
      List<Long> values = window.getValue();
      assertThat(Instant.parse(w.get("start").asString()).toEpochMilli())
          .isEqualTo(window.getKey());
      assertThat(w.get("count").asLong())
          .as("count of %s at %s on %s", key, window.getKey(), instance)
          .isEqualTo(values.size());
      assertThat(w.get("sum").asDouble()).isEqualTo(sum(values));
      assertThat(w.get("min").asDouble()).isEqualTo((double) Collections.min(values));
      assertThat(w.get("max").asDouble()).isEqualTo((double) Collections.max(values));
    }
  }

  private static void assertRollupExact(
      ServiceProcess instance,
      Map<String, String> key,
      JsonNode rollup,
      Map<Long, List<Long>> expected) {
    List<Long> all = new ArrayList<>();
    expected.values().forEach(all::addAll);
    assertThat(rollup.get("count").asLong())
        .as("rollup count of %s on %s", key, instance)
        .isEqualTo(all.size());
    assertThat(rollup.get("sum").asDouble()).isEqualTo(sum(all));
    assertThat(rollup.get("min").asDouble()).isEqualTo((double) Collections.min(all));
    assertThat(rollup.get("max").asDouble()).isEqualTo((double) Collections.max(all));
  }

  /** Every posted event by group and window start, as the by-source view must count them. */
  private static Map<List<String>, Map<Long, List<Long>>> expected() {
    Map<List<String>, Map<Long, List<Long>>> result = new LinkedHashMap<>();
    for (Posted event : posted) {
      long windowStart = event.time() - Math.floorMod(event.time(), 60_000L);
      result
          .computeIfAbsent(Workload.bySource(event), g -> new TreeMap<>())
          .computeIfAbsent(windowStart, w -> new ArrayList<>())
          .add(event.value());
    }
    return result;
  }

  /**
   * Events around the window boundary at {@code base} + 1 min, as {@link Workload} makes them, with
   * ids of their own so that a second batch is not taken for duplicates of the first.
   */
  private static List<Posted> events(String idPrefix, long base, int count, long seed) {
    Workload workload = new Workload(base, count, seed);
    return workload.events.stream()
        .map(e -> new Posted(idPrefix + e.eventId(), e.source(), e.type(), e.time(), e.value()))
        .toList();
  }

  private static List<List<Posted>> chunks(List<Posted> events, int size) {
    List<List<Posted>> chunks = new ArrayList<>();
    for (int i = 0; i < events.size(); i += size) {
      chunks.add(events.subList(i, Math.min(i + size, events.size())));
    }
    return chunks;
  }

  private static void postAll(List<Posted> events) {
    chunks(events, 50).forEach(MultiInstanceIT::post);
  }

  private static void post(List<Posted> chunk) {
    Response response =
        http.send(
            "POST",
            ingest("/api/v1/events"),
            "application/json",
            chunk.stream()
                .map(Posted::json)
                .collect(Collectors.joining(",", "[", "]")));
    assertThat(response.status()).as(response.body()).isEqualTo(202);
    posted.addAll(chunk);
  }

  private static Map<String, String> keyOf(Posted event) {
    return keyMap(Workload.bySource(event));
  }

  private static Map<String, String> keyMap(List<String> group) {
    Map<String, String> key = new LinkedHashMap<>();
    for (int i = 0; i < FIELDS.size(); i++) {
      key.put(FIELDS.get(i), group.get(i));
    }
    return key;
  }

  private static String windowsPath(Map<String, String> key, long from, long to) {
    return "/api/v1/views/" + VIEW + "/windows?from=" + from + "&to=" + to + Workload.keyParams(key);
  }

  private static String topPath(long window) {
    return "/api/v1/views/" + VIEW + "/top?by=count&limit=100&at=" + window;
  }

  private static String rollupPath(Map<String, String> key) {
    return "/api/v1/views/"
        + VIEW
        + "/rollup?from="
        + firstBase
        + "&to="
        + (secondBase + 60_000L)
        + Workload.keyParams(key);
  }

  private static JsonNode json(ServiceProcess instance, String path) {
    Response response = get(instance.url(path));
    assertThat(response.status())
        .as("%s on %s: %s", path, instance, response.body())
        .isEqualTo(200);
    assertThat(response.header("Streamdown-Served-By").orElse("")).as("Streamdown-Served-By of %s", path).isNotBlank();
    return response.json();
  }

  private static JsonNode withoutServedBy(JsonNode answer) {
    ObjectNode copy = (ObjectNode) answer.deepCopy();
    copy.remove("servedBy");
    return copy;
  }

  private static boolean isUp(JsonNode readiness) {
    return "UP".equals(readiness.path("status").asString(""));
  }

  /** The {@code kafkaStreams} indicator's details in a readiness answer. */
  private static JsonNode streamsDetail(JsonNode readiness) {
    return readiness.path("components").path("kafkaStreams").path("details");
  }

  private static double sum(List<Long> values) {
    return values.stream().mapToLong(Long::longValue).sum();
  }

  private static URI ingest(String path) {
    return stack.service(Service.INGEST).url(path);
  }

  private static Response get(URI uri) {
    return http.probe(uri);
  }
}
