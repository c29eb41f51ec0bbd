package io.streamdown.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import io.streamdown.local.Service;
import io.streamdown.local.StackLauncher;
import io.streamdown.schemas.Json;
import io.streamdown.schemas.QuantileSketches;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A session merge through the whole pipeline: a real KRaft broker and the four services as
 * separate processes (the default views, {@code sessions-by-source} among them). Two sessions of
 * one source are formed, then an out-of-order event within grace bridges them; the query API must
 * then show the merged session alone, with exact count, sum, min and max and quantiles within
 * the sketch's accuracy.
 */
class SessionMergeEndToEndIT {

  private static final Duration DEADLINE = Duration.ofSeconds(90);
  private static final String VIEW = "sessions-by-source";
  private static final String SOURCE = "merge-1";

  private static final Http http = new Http();
  private static StackLauncher stack;
  private static long base;

  @BeforeAll
  static void startStack() throws Exception {
    stack = E2eStacks.start(E2eStacks.options("sessions", "e2e-sessions.").build());
    // Inside every retention; the session view's gap (30 s) and grace (60 s) apply in stream
    // time, which these events alone advance.
    long now = System.currentTimeMillis();
    base = now - Math.floorMod(now, 60_000L) - 10 * 60_000L;
  }

  @AfterAll
  static void stopStack() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void aBridgingEventLeavesOnlyTheMergedSessionWithExactStatistics() {
    // First session: 10 events over 9 s; second one 60 s after the first one's last event.
    List<Long> firstTimes = LongStream.range(0, 10).mapToObj(i -> base + i * 1_000).toList();
    List<Long> secondTimes = List.of(base + 69_000, base + 70_000);
    List<Long> values = new ArrayList<>();
    List<String> events = new ArrayList<>();
    for (long time : firstTimes) {
      events.add(event("a" + time, time, 10 + (time - base) / 1_000));
    }
    for (long time : secondTimes) {
      events.add(event("b" + time, time, 100 + (time - base) / 1_000));
    }
    events.forEach(e -> values.add(Json.MAPPER.readTree(e).get("value").asLong()));
    post(events);

    await()
        .atMost(DEADLINE)
        .pollInterval(Duration.ofMillis(250))
        .untilAsserted(
            () -> {
              JsonNode windows = sessions().get("windows");
              assertThat(windows).hasSize(2);
              assertThat(windows.get(0).get("count").asLong()).isEqualTo(firstTimes.size());
              assertThat(windows.get(1).get("count").asLong()).isEqualTo(secondTimes.size());
            });

    // Exactly one gap (30 s) after the first session's end and before the second's start: the
    // gap is inclusive, so it bridges both. Stream time is 70 s, so both sessions are still open
    // (they close at their end + gap + grace).
    long bridge = base + 39_000;
    long bridgeValue = 7;
    post(List.of(event("bridge", bridge, bridgeValue)));
    values.add(bridgeValue);

    await()
        .atMost(DEADLINE)
        .pollInterval(Duration.ofMillis(250))
        .untilAsserted(
            () -> {
              JsonNode windows = sessions().get("windows");
              assertThat(windows).hasSize(1);
              assertThat(windows.get(0).get("count").asLong()).isEqualTo(values.size());
            });

    JsonNode merged = sessions().get("windows").get(0);
    assertThat(Instant.parse(merged.get("start").asString()).toEpochMilli()).isEqualTo(base);
    assertThat(Instant.parse(merged.get("end").asString()).toEpochMilli())
        .isEqualTo(secondTimes.get(secondTimes.size() - 1));
    assertExact(merged, values);

    Http.Response rollup =
        http.get(query("/api/v1/views/" + VIEW + "/rollup", range()));
    assertThat(rollup.status()).as(rollup.body()).isEqualTo(200);
    JsonNode total = rollup.json();
    assertThat(total.get("windows").asInt()).isEqualTo(1);
    assertThat(total.findValue("count").asLong()).isEqualTo(values.size());

    Http.Response views = http.get(query("/api/v1/views", ""));
    JsonNode sessionView = null;
    for (JsonNode view : views.json()) {
      if (view.get("name").asString().equals(VIEW)) {
        sessionView = view;
      }
    }
    assertThat(sessionView).isNotNull();
    assertThat(sessionView.get("window").get("type").asString()).isEqualTo("session");
    assertThat(sessionView.get("window").get("gap").asString()).isEqualTo("PT30S");
  }

  private static void assertExact(JsonNode aggregate, List<Long> values) {
    assertThat(aggregate.get("count").asLong()).isEqualTo(values.size());
    assertThat(aggregate.get("sum").asDouble())
        .isEqualTo(values.stream().mapToLong(Long::longValue).sum());
    assertThat(aggregate.get("min").asDouble())
        .isEqualTo(values.stream().mapToLong(Long::longValue).min().orElseThrow());
    assertThat(aggregate.get("max").asDouble())
        .isEqualTo(values.stream().mapToLong(Long::longValue).max().orElseThrow());
    for (String name : List.of("p50", "p90", "p99")) {
      double q = Integer.parseInt(name.substring(1)) / 100.0;
      double exact = Workload.exactQuantile(values, q);
      assertThat(aggregate.get(name).asDouble())
          .as(name)
          .isCloseTo(exact, within(exact * QuantileSketches.RELATIVE_ACCURACY + 1e-9));
    }
  }

  private static JsonNode sessions() {
    Http.Response response = http.get(query("/api/v1/views/" + VIEW + "/windows", range()));
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return response.json();
  }

  private static String range() {
    long hour = 3_600_000;
    return "type=temp&source=" + SOURCE + "&from=" + (base - hour) + "&to=" + (base + hour);
  }

  private static void post(List<String> events) {
    Http.Response response =
        http.send(
            "POST",
            stack.service(Service.INGEST).url("/api/v1/events"),
            "application/json",
            events.stream().collect(Collectors.joining(",", "[", "]")));
    assertThat(response.status()).as(response.body()).isEqualTo(202);
  }

  private static String event(String id, long time, long value) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("eventId", "session-" + id);
    body.put("source", SOURCE);
    body.put("type", "temp");
    body.put("time", time);
    body.put("value", value);
    return Json.MAPPER.writeValueAsString(body);
  }

  private static URI query(String path, String query) {
    return stack.service(Service.QUERY).url(query.isEmpty() ? path : path + "?" + query);
  }
}
