package io.streamdown.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamdown.local.Service;
import io.streamdown.local.ServiceInstance;
import io.streamdown.local.ServiceProcess;
import io.streamdown.local.StackLauncher;
import io.streamdown.local.StackOptions;
import io.streamdown.prometheus.PrometheusText;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Exactly once under faults: a deterministic workload (with reference data and client retries that
 * re-post whole batches) is ingested while enrich, aggregate and query processes are killed with
 * SIGKILL at moments drawn from a seeded RNG and started again, and the broker is restarted in
 * place at another such moment (clients retry on 503 meanwhile, as real ones do); at the end every
 * window of every key of the {@code by-source} and {@code by-region} views must equal the offline
 * expectation exactly, events older than the grace are counted as late, not windowed, and every
 * service is still alive and ready. Size: {@code -Dstreamdown.fault.events=N} (default 200000, the
 * issue's size; {@code ./streamdown soak} runs 1000000), {@code
 * -Dstreamdown.fault.kills=K} (default 5), {@code -Dstreamdown.fault.broker-restarts=R} (default
 * 1), {@code -Dstreamdown.fault.seed=S}.
 */
class FaultInjectionIT {

  private static final Duration DEADLINE = Duration.ofMinutes(4);
  private static final String PREFIX = "fault.";
  private static final int SOURCES = 40;
  private static final List<String> TYPES = List.of("temp", "pressure");
  private static final int BATCH = 500;
  private static final List<Service> VICTIMS =
      List.of(Service.ENRICH, Service.AGGREGATE, Service.QUERY);

  private static final int LATE_EVENTS = 25;

  /**
   * Two views with a grace of two hours: the workload spans 20 minutes of event time but is
   * ingested in about a minute, and restarted tasks catch up unevenly, so with the default 10 s
   * grace which records count as late would depend on timing. Events older than the grace are
   * posted at the end, where lateness is certain.
   */
  private static final List<String> VIEWS =
      List.of(
          "--streamdown.views[0].name=by-source",
          "--streamdown.views[0].group-by=type,source",
          "--streamdown.views[0].window.type=tumbling",
          "--streamdown.views[0].window.size=1m",
          "--streamdown.views[0].grace=2h",
          "--streamdown.views[0].retention=1d",
          "--streamdown.views[1].name=by-region",
          "--streamdown.views[1].group-by=type,reference.region",
          "--streamdown.views[1].window.type=tumbling",
          "--streamdown.views[1].window.size=1m",
          "--streamdown.views[1].grace=2h",
          "--streamdown.views[1].retention=1d");

  /** How long the broker stays down when it is restarted during ingestion. */
  private static final Duration BROKER_DOWNTIME = Duration.ofSeconds(3);

  private final Http http = new Http();
  private final AtomicInteger unavailable =
      new AtomicInteger();

  /** One event of the workload; values are whole numbers so sums are exact in a double. */
  private record Posted(String eventId, String source, String type, long time, long value) {
    String json() {
      return "{\"eventId\":\""
          + eventId
          + "\",\"source\":\""
          + source
          + "\",\"type\":\""
          + type
          + "\",\"time\":"
          + time
          + ",\"value\":"
          + value
          + "}";
    }
  }

  /** The expected aggregate of one window. */
  private static final class Expected {
    long count;
    double sum;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;

    void add(long value) {
      count++;
      sum += value;
      min = Math.min(min, value);
      max = Math.max(max, value);
    }
  }

  @Test
  void everyWindowIsExactAfterRepeatedKills() throws Exception {
    int total = Integer.getInteger("streamdown.fault.events", 200_000);
    int kills = Integer.getInteger("streamdown.fault.kills", 5);
    int brokerRestarts = Integer.getInteger("streamdown.fault.broker-restarts", 1);
    if (TestBroker.containerized()) {
      // A restarted container comes back on another mapped port, which no client would find.
      System.out.println("[fault] no broker restart against the container broker");
      brokerRestarts = 0;
    }
    long seed = Long.getLong("streamdown.fault.seed", 4_2026_1122L);
    Random random = new Random(seed);
    // Long runs (the soak profile, 1M+ events) get more time to drain.
    Duration settle = DEADLINE.plusSeconds(total / 1000);

    StackOptions options =
        E2eStacks.options("fault", PREFIX)
            .partitions(3)
            .addAppArgs(VIEWS)
            .build();

    long now = System.currentTimeMillis();
    long base = now - Math.floorMod(now, 60_000L) - 30 * 60_000L;
    List<Posted> events = new ArrayList<>(total);
    for (int i = 0; i < total; i++) {
      String source = "f-" + random.nextInt(SOURCES);
      String type = TYPES.get(random.nextInt(TYPES.size()));
      // Spread over 20 minutes, roughly in order as producers send them.
      long time = base + (long) i * 20 * 60_000L / total + random.nextInt(5_000);
      events.add(new Posted("ev-" + seed + "-" + i, source, type, time, random.nextInt(1000)));
    }
    Map<String, String> regions = new HashMap<>();
    for (int s = 0; s < SOURCES; s++) {
      regions.put("f-" + s, "r-" + (s % 4));
    }
    int batches = (total + BATCH - 1) / BATCH;
    TreeMap<Integer, Service> killAt = new TreeMap<>();
    while (killAt.size() < Math.min(kills, batches - 1)) {
      killAt.put(1 + random.nextInt(batches - 1), VICTIMS.get(killAt.size() % VICTIMS.size()));
    }
    TreeSet<Integer> brokerRestartAt = new TreeSet<>();
    while (brokerRestartAt.size() < Math.min(brokerRestarts, batches - 1)) {
      brokerRestartAt.add(1 + random.nextInt(batches - 1));
    }

    ExecutorService restarts = Executors.newFixedThreadPool(VICTIMS.size() + 1);
    List<String> faults = new ArrayList<>();
    long began = System.nanoTime();
    try (StackLauncher stack = E2eStacks.launcher(options)) {
      stack.start();
      long ingestPid = stack.service(Service.INGEST).pid();
      for (Map.Entry<String, String> region : regions.entrySet()) {
        Http.Response response =
            retrying(
                () ->
                    http.send(
                        "PUT",
                        stack.service(Service.INGEST).url("/api/v1/reference/" + region.getKey()),
                        "application/json",
                        "{\"region\":\"" + region.getValue() + "\"}"));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
      }

      Map<Service, Future<?>> pendingRestarts = new EnumMap<>(Service.class);
      List<Future<?>> pendingBrokerRestarts = new ArrayList<>();
      for (int b = 0; b < batches; b++) {
        if (brokerRestartAt.contains(b)) {
          if (!pendingBrokerRestarts.isEmpty()) {
            pendingBrokerRestarts.get(pendingBrokerRestarts.size() - 1).get();
          }
          faults.add("broker restart before batch " + b);
          // In the background, so that ingestion goes on against the broker that is down.
          pendingBrokerRestarts.add(
              restarts.submit(() -> stack.restartBroker(BROKER_DOWNTIME)));
        }
        Service victim = killAt.get(b);
        if (victim != null) {
          Future<?> pending = pendingRestarts.get(victim);
          if (pending != null) {
            pending.get(); // each kill hits a running process
          }
          ServiceProcess process = stack.service(victim);
          ProcessHandle.of(process.pid()).ifPresent(ProcessHandle::destroyForcibly);
          faults.add(
              "SIGKILL " + victim.moduleName() + " (pid " + process.pid() + ") before batch " + b);
          pendingRestarts.put(
              victim,
              restarts.submit(
                  () -> {
                    process.onExit().join();
                    stack.stopService(victim);
                    stack.startService(victim);
                  }));
        }
        String body = batchBody(events, b);
        URI url = stack.service(Service.INGEST).url("/api/v1/events");
        Http.Response response = retrying(() -> http.send("POST", url, "application/json", body));
        assertThat(response.status()).as(response.body()).isEqualTo(202);
        if (random.nextInt(10) == 0) {
          // A client that lost the answer posts the whole batch again.
          Http.Response again = retrying(() -> http.send("POST", url, "application/json", body));
          assertThat(again.status()).as(again.body()).isEqualTo(202);
          faults.add("re-posted batch " + b);
        }
      }
      for (Future<?> pending : pendingRestarts.values()) {
        pending.get();
      }
      // A client's retry that reaches an enrich process started after the original: the ids are
      // in the store it restored (and in the filters it loaded from the store at start-up), so the
      // windows below stay exact only if every one of them is dropped there.
      for (Map.Entry<Integer, Service> kill : killAt.entrySet()) {
        if (kill.getValue() == Service.ENRICH) {
          int before = kill.getKey() - 1;
          String body = batchBody(events, before);
          URI url = stack.service(Service.INGEST).url("/api/v1/events");
          Http.Response again = retrying(() -> http.send("POST", url, "application/json", body));
          assertThat(again.status()).as(again.body()).isEqualTo(202);
          faults.add("re-posted batch " + before + " after enrich restarted");
        }
      }
      for (Future<?> pending : pendingBrokerRestarts) {
        pending.get();
      }
      System.out.println("[fault] " + String.join("; ", faults));

      // Late: three hours before the workload, past window end + grace in every partition's
      // stream time once the workload is through. Counted per view, never in a window.
      String late =
          IntStream.range(0, LATE_EVENTS)
              .mapToObj(
                  i ->
                      new Posted(
                              "late-" + i,
                              "f-" + (i % SOURCES),
                              "temp",
                              base - 3 * 3_600_000L + i,
                              1)
                          .json())
              .collect(Collectors.joining(",", "[", "]"));
      await()
          .atMost(settle)
          .pollInterval(Duration.ofSeconds(1))
          .until(() -> lastWindowSeen(stack, events, regions));
      Http.Response lateResponse =
          retrying(
              () ->
                  http.send(
                      "POST",
                      stack.service(Service.INGEST).url("/api/v1/events"),
                      "application/json",
                      late));
      assertThat(lateResponse.status()).as(lateResponse.body()).isEqualTo(202);
      await()
          .atMost(DEADLINE)
          .pollInterval(Duration.ofSeconds(1))
          .until(() -> lateEvents(stack) == LATE_EVENTS);

      Map<String, Map<Long, Expected>> bySource = new TreeMap<>();
      Map<String, Map<Long, Expected>> byRegion = new TreeMap<>();
      for (Posted event : events) {
        long window = event.time() - Math.floorMod(event.time(), 60_000L);
        bySource
            .computeIfAbsent(
                "type=" + event.type() + "&source=" + event.source(), k -> new TreeMap<>())
            .computeIfAbsent(window, k -> new Expected())
            .add(event.value());
        byRegion
            .computeIfAbsent(
                "type=" + event.type() + "&reference.region=" + regions.get(event.source()),
                k -> new TreeMap<>())
            .computeIfAbsent(window, k -> new Expected())
            .add(event.value());
      }
      // From before the late events, so a late event counted in a window would show.
      String range = "&from=" + (base - 4 * 3_600_000L) + "&to=" + (base + 22 * 60_000L);
      await()
          .atMost(settle)
          .pollInterval(Duration.ofSeconds(2))
          .ignoreExceptions()
          .untilAsserted(
              () -> {
                assertViewEquals(stack, "by-source", bySource, range);
                assertViewEquals(stack, "by-region", byRegion, range);
              });
      long[] bySourceFigures = lostAndDuplicated(stack, "by-source", bySource, range);
      long[] byRegionFigures = lostAndDuplicated(stack, "by-region", byRegion, range);

      // Ridden through: every service that was not killed on purpose is the process it was, and
      // all of them are ready and never let a Kafka Streams client fail.
      for (ServiceProcess process : stack.services()) {
        String name = process.service().moduleName();
        assertThat(process.isAlive()).as(name + " alive").isTrue();
        Http.Response ready = http.get(process.urls().readiness());
        assertThat(ready.status()).as(name + " readiness " + ready.body()).isEqualTo(200);
        String log = Files.readString(process.logFile());
        assertThat(log).as(name + " log").doesNotContain("to PENDING_ERROR");
      }
      assertThat(stack.service(Service.INGEST).pid()).isEqualTo(ingestPid);
      // A SIGKILL runs no exit hook, so what a killed process unpacked or created in its
      // temporary directory (RocksDB's 15 MB library, Tomcat's directories) is never deleted; its
      // restart must have emptied the instance's own directory: one RocksDB library, and nothing
      // older than the new JVM.
      for (Service victim : new TreeSet<>(killAt.values())) {
        Path temp = options.tempDir(ServiceInstance.first(victim));
        Instant restarted =
            ProcessHandle.of(stack.service(victim).pid())
                .flatMap(handle -> handle.info().startInstant())
                .orElseThrow();
        try (Stream<Path> files = Files.list(temp)) {
          List<Path> entries = files.toList();
          assertThat(entries.stream().map(entry -> entry.getFileName().toString()))
              .as("RocksDB libraries in " + temp)
              .filteredOn(name -> name.startsWith("librocksdbjni"))
              .hasSize(1);
          for (Path entry : entries) {
            assertThat(Files.getLastModifiedTime(entry).toInstant())
                .as(entry + " against the start of " + victim + "'s JVM")
                .isAfterOrEqualTo(restarted.minusSeconds(1));
          }
        }
      }
      System.out.printf(
          Locale.ROOT,
          "[fault] figures: events=%d distinct (+%d late), re-posted batches=%d, kills=%d,"
              + " broker restarts=%d, 503 answers retried=%d, lost=%d, duplicated=%d,"
              + " wall time=%.0f s%n",
          total,
          LATE_EVENTS,
          faults.stream().filter(f -> f.startsWith("re-posted")).count(),
          faults.stream().filter(f -> f.startsWith("SIGKILL")).count(),
          faults.stream().filter(f -> f.startsWith("broker restart")).count(),
          unavailable.get(),
          bySourceFigures[0] + byRegionFigures[0],
          bySourceFigures[1] + byRegionFigures[1],
          (System.nanoTime() - began) / 1e9);
      assertThat(bySourceFigures).containsExactly(0L, 0L);
      assertThat(byRegionFigures).containsExactly(0L, 0L);
    } finally {
      restarts.shutdownNow();
    }
    assertThat(faults.stream().filter(f -> f.startsWith("SIGKILL")))
        .hasSize(Math.min(kills, batches - 1));
    assertThat(faults.stream().filter(f -> f.startsWith("broker restart")))
        .hasSize(Math.min(brokerRestarts, batches - 1));
  }

  /** The JSON array of batch {@code b}: the events it posts, and posts again on a retry. */
  private static String batchBody(List<Posted> events, int b) {
    List<Posted> chunk = events.subList(b * BATCH, Math.min((b + 1) * BATCH, events.size()));
    return chunk.stream().map(Posted::json).collect(Collectors.joining(",", "[", "]"));
  }

  /**
   * Events missing from and counted beyond the expectation, summed over every window of a view:
   * the figures the fault test reports (both zero when the view is exact).
   */
  private long[] lostAndDuplicated(
      StackLauncher stack, String view, Map<String, Map<Long, Expected>> expected, String range) {
    long lost = 0;
    long duplicated = 0;
    for (Map.Entry<String, Map<Long, Expected>> key : expected.entrySet()) {
      Map<Long, JsonNode> counted = windowsByStart(stack, view, key.getKey(), range);
      Map<Long, Expected> wanted = key.getValue();
      Set<Long> windows = new TreeSet<>(counted.keySet());
      windows.addAll(wanted.keySet());
      for (Long start : windows) {
        long got = counted.containsKey(start) ? counted.get(start).get("count").asLong() : 0;
        long difference = got - (wanted.containsKey(start) ? wanted.get(start).count : 0);
        lost += Math.max(0, -difference);
        duplicated += Math.max(0, difference);
      }
    }
    return new long[] {lost, duplicated};
  }

  private void assertViewEquals(
      StackLauncher stack, String view, Map<String, Map<Long, Expected>> expected, String range) {
    for (Map.Entry<String, Map<Long, Expected>> key : expected.entrySet()) {
      Map<Long, JsonNode> actual = windowsByStart(stack, view, key.getKey(), range);
      assertThat(actual.keySet()).as(view + " " + key.getKey()).isEqualTo(key.getValue().keySet());
      key.getValue()
          .forEach(
              (start, want) -> {
                JsonNode got = actual.get(start);
                String where = view + " " + key.getKey() + " @" + start;
                assertThat(got.get("count").asLong()).as(where + " count").isEqualTo(want.count);
                assertThat(got.get("sum").asDouble()).as(where + " sum").isEqualTo(want.sum);
                assertThat(got.get("min").asDouble()).as(where + " min").isEqualTo(want.min);
                assertThat(got.get("max").asDouble()).as(where + " max").isEqualTo(want.max);
              });
    }
  }

  /** The windows of one key of a view ({@code keyParams} as in a query string), by start. */
  private Map<Long, JsonNode> windowsByStart(
      StackLauncher stack, String view, String keyParams, String range) {
    Http.Response response =
        http.get(
            stack
                .service(Service.QUERY)
                .url("/api/v1/views/" + view + "/windows?" + keyParams + range));
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    Map<Long, JsonNode> windows = new TreeMap<>();
    for (JsonNode window : response.json().get("windows")) {
      windows.put(Instant.parse(window.get("start").asString()).toEpochMilli(), window);
    }
    return windows;
  }

  /** Retries as a real client does: on 503 and on a connection failure, within a deadline. */
  private Http.Response retrying(Supplier<Http.Response> call) {
    AtomicReference<Http.Response> last =
        new AtomicReference<>();
    await()
        .atMost(DEADLINE)
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(500))
        .ignoreException(UncheckedIOException.class)
        .until(
            () -> {
              last.set(call.get());
              if (last.get().status() == 503) {
                unavailable.incrementAndGet();
                return false;
              }
              return true;
            });
    return last.get();
  }

  /** The late-event counter of the by-source view on the running aggregate process. */
  private double lateEvents(StackLauncher stack) {
    String body = http.get(stack.service(Service.AGGREGATE).urls().prometheus()).body();
    return PrometheusText.parse(body)
        .sum("streamdown_aggregate_late_events_total", "view", "by-source");
  }

  /**
   * Whether the newest window of the workload is queryable, i.e. the pipeline has processed up to
   * the end of the workload (so stream time is past every window), before the late events go in.
   */
  private boolean lastWindowSeen(
      StackLauncher stack, List<Posted> events, Map<String, String> regions) {
    Posted newest = events.get(events.size() - 1);
    // The windows endpoint answers the windows that start in [from, to].
    long windowStart = newest.time() - Math.floorMod(newest.time(), 60_000L);
    Http.Response response =
        http.get(
            stack
                .service(Service.QUERY)
                .url(
                    "/api/v1/views/by-source/windows?type="
                        + newest.type()
                        + "&source="
                        + newest.source()
                        + "&from="
                        + windowStart
                        + "&to="
                        + windowStart));
    return response.status() == 200 && response.json().get("windows").size() == 1;
  }
}
