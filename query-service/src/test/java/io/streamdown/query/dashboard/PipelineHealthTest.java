package io.streamdown.query.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import com.sun.net.httpserver.HttpServer;
import io.streamdown.query.dashboard.PipelineResponse.ServiceStatus;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The pipeline health against fake management ports (JDK HTTP servers): a healthy service with
 * metrics, one not ready, one that refuses connections, one that never answers, one that answers
 * garbage.
 */
class PipelineHealthTest {

  private static final String AGGREGATE_METRICS =
      """
      # TYPE streamdown_freshness_aggregated_seconds histogram
      streamdown_freshness_aggregated_seconds_bucket{view="by-type",le="0.5"} 98.0
      streamdown_freshness_aggregated_seconds_bucket{view="by-type",le="1.0"} 100.0
      streamdown_freshness_aggregated_seconds_bucket{view="by-type",le="+Inf"} 100.0
      streamdown_aggregate_late_events_total{view="by-type"} 4.0
      streamdown_aggregate_late_events_total{view="by-source"} 1.0
      streamdown_dlq_records_total{error="x.Y",stage="aggregate"} 2.0
      """;

  private final CountDownLatch release = new CountDownLatch(1);
  private HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final AtomicInteger calls = new AtomicInteger();

  @AfterEach
  void stop() {
    release.countDown();
    if (server != null) {
      server.stop(0);
    }
    executor.shutdownNow();
  }

  /** A fake with one context per service name, answering /{name}/actuator/... */
  private URI fake(Map<String, Function<String, Reply>> services) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(executor);
    services.forEach(
        (name, handler) ->
            server.createContext(
                "/" + name,
                exchange -> {
                  calls.incrementAndGet();
                  String path = exchange.getRequestURI().getPath().substring(name.length() + 1);
                  Reply reply = handler.apply(path);
                  if (reply == null) {
                    awaitRelease();
                    exchange.close();
                    return;
                  }
                  byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
                  exchange.sendResponseHeaders(reply.status(), body.length);
                  try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                  }
                }));
    server.start();
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  private void awaitRelease() {
    try {
      release.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private record Reply(int status, String body) {}

  private static Function<String, Reply> service(Reply health, Reply metrics) {
    return path -> path.equals("/actuator/health/readiness") ? health : metrics;
  }

  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static Map<String, ServiceStatus> byName(PipelineResponse response) {
    Map<String, ServiceStatus> map = new LinkedHashMap<>();
    response.services().forEach(s -> map.put(s.name(), s));
    return map;
  }

  @Test
  void eachServiceShowsItsOwnStateAndOneDeadServiceFailsNothingElse() throws Exception {
    URI base =
        fake(
            Map.of(
                "ingest",
                service(new Reply(200, "{\"status\":\"UP\"}"), new Reply(200, "up 1\n")),
                "aggregate",
                service(new Reply(200, "{\"status\":\"UP\"}"), new Reply(200, AGGREGATE_METRICS)),
                "query",
                service(
                    new Reply(503, "{\"status\":\"OUT_OF_SERVICE\"}"), new Reply(500, "boom"))));
    DashboardSettings settings =
        new DashboardSettings(
            Map.of(
                "ingest", URI.create(base + "/ingest"),
                "enrich", URI.create("http://127.0.0.1:" + closedPort()),
                "aggregate", URI.create(base + "/aggregate/"),
                "query", URI.create(base + "/query")),
            Duration.ofSeconds(2),
            Duration.ZERO);

    PipelineResponse response = new PipelineHealth(settings, Clock.systemUTC()).pipeline();

    assertThat(response.services())
        .extracting(ServiceStatus::name)
        .containsExactly("ingest", "enrich", "aggregate", "query");
    Map<String, ServiceStatus> services = byName(response);
    assertThat(services.get("ingest"))
        .isEqualTo(new ServiceStatus("ingest", "UP", null, 0L, 0L, null));
    assertThat(services.get("enrich").status()).isEqualTo("DOWN");
    assertThat(services.get("enrich").error()).isEqualTo("connection refused");
    assertThat(services.get("enrich").deadLetters()).isNull();
    ServiceStatus aggregate = services.get("aggregate");
    assertThat(aggregate.status()).isEqualTo("UP");
    assertThat(aggregate.lateEvents()).isEqualTo(5L);
    assertThat(aggregate.deadLetters()).isEqualTo(2L);
    // 98 of 100 within 0.5 s, rank 99 is half-way through the (0.5, 1.0] bucket.
    assertThat(aggregate.freshnessP99Seconds()).isEqualTo(0.75);
    ServiceStatus query = services.get("query");
    assertThat(query.status()).isEqualTo("OUT_OF_SERVICE");
    assertThat(query.lateEvents()).isNull();
    assertThat(query.error()).contains("/actuator/prometheus answered 500");
  }

  @Test
  void aServiceThatNeverAnswersIsDownAfterTheTimeoutAndGarbageIsNoStatus() throws Exception {
    URI base =
        fake(
            Map.of(
                "stuck", path -> null,
                "garbage", service(new Reply(200, "<html>"), new Reply(200, "")),
                "nostatus", service(new Reply(200, "{\"state\":1}"), new Reply(200, ""))));
    DashboardSettings settings =
        new DashboardSettings(
            Map.of(
                "ingest", URI.create(base + "/stuck"),
                "enrich", URI.create(base + "/garbage"),
                "aggregate", URI.create(base + "/nostatus"),
                "query", URI.create(base + "/stuck")),
            Duration.ofSeconds(1),
            Duration.ZERO);

    long started = System.nanoTime();
    Map<String, ServiceStatus> services =
        byName(new PipelineHealth(settings, Clock.systemUTC()).pipeline());
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    assertThat(services.get("ingest").status()).isEqualTo("DOWN");
    assertThat(services.get("ingest").error()).isEqualTo("no answer within 1000 ms");
    assertThat(services.get("query").status()).isEqualTo("DOWN");
    // The calls run in parallel: four stuck calls take about one timeout, not four.
    assertThat(took).isLessThan(Duration.ofSeconds(3));
    assertThat(services.get("enrich").status()).isEqualTo("DOWN");
    assertThat(services.get("enrich").error()).isEqualTo("its health answer is not JSON");
    assertThat(services.get("aggregate").error()).isEqualTo("its health answer holds no status");
  }

  @Test
  void oneLookIsReusedUntilItIsOlderThanTheCacheTime() throws Exception {
    URI base =
        fake(Map.of("s", service(new Reply(200, "{\"status\":\"UP\"}"), new Reply(200, ""))));
    Map<String, URI> urls = new HashMap<>();
    DashboardSettings.SERVICE_NAMES.forEach(name -> urls.put(name, URI.create(base + "/s")));
    DashboardSettings settings =
        new DashboardSettings(urls, Duration.ofSeconds(2), Duration.ofSeconds(3));
    MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    PipelineHealth health = new PipelineHealth(settings, clock);

    PipelineResponse first = health.pipeline();
    int callsOfOneLook = calls.get();
    clock.now = clock.now.plusMillis(2_999);
    PipelineResponse cached = health.pipeline();
    clock.now = clock.now.plusMillis(1);
    PipelineResponse fresh = health.pipeline();

    assertThat(callsOfOneLook).isEqualTo(2 * DashboardSettings.SERVICE_NAMES.size());
    assertThat(cached).isSameAs(first);
    assertThat(fresh.checkedAt()).isEqualTo("2026-01-01T00:00:03Z");
    assertThat(calls.get()).isEqualTo(2 * callsOfOneLook);
  }

  @Test
  void settingsDefaultToTheLocalStackAndRefuseUnknownServices() {
    DashboardSettings defaults = DashboardSettings.defaults();
    assertThat(defaults.services())
        .containsEntry("ingest", URI.create("http://localhost:9081"))
        .containsEntry("query", URI.create("http://localhost:9084"))
        .hasSize(4);
    DashboardSettings one =
        new DashboardSettings(
            Map.of("query", URI.create("http://q:1")), Duration.ofSeconds(1), Duration.ZERO);
    assertThat(one.services())
        .containsEntry("query", URI.create("http://q:1"))
        .containsEntry("enrich", URI.create("http://localhost:9082"));
    assertThatIllegalArgumentException()
        .isThrownBy(
            () ->
                new DashboardSettings(
                    Map.of("nope", URI.create("http://x")), Duration.ofSeconds(1), Duration.ZERO))
        .withMessageContaining("nope");
  }

  private static final class MutableClock extends Clock {
    volatile Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }
}
