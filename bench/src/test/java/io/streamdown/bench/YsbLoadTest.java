package io.streamdown.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** How the load generator treats ingest's answers: which it retries, and what it counts. */
class YsbLoadTest {

  private HttpServer server;
  private StackClient client;
  /** The statuses ingest answers, in order; the last one repeats. */
  private final ConcurrentLinkedQueue<Integer> script = new ConcurrentLinkedQueue<>();
  private volatile int lastStatus = 202;
  private final List<String> bodies = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws IOException {
    server = LocalHttpServer.start(16, 2);
    server.createContext(
        "/api/v1/events",
        exchange -> {
          bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          Integer next = script.poll();
          int status = next == null ? lastStatus : next;
          lastStatus = status;
          LocalHttpServer.answer(exchange, status, "{}");
        });
    URI base = LocalHttpServer.base(server);
    client = new StackClient(base, base);
  }

  @AfterEach
  void stop() {
    client.close();
    server.stop(0);
  }

  private YsbLoad.Outcome post(YsbCounts counts, Duration retryWindow) throws Exception {
    return YsbLoad.post(client, List.of("{\"eventId\":\"e-1\"}"), counts, System.nanoTime(),
            retryWindow)
        .get(30, TimeUnit.SECONDS);
  }

  @Test
  void aRequestThatFailedTransientlyIsSentAgainUnchangedUntilAccepted() throws Exception {
    script.addAll(List.of(503, 503, 202));
    YsbCounts counts = new YsbCounts();

    assertThat(post(counts, YsbLoad.RETRY_WINDOW)).isEqualTo(YsbLoad.Outcome.ACCEPTED);

    assertThat(counts.retries()).isEqualTo(2);
    assertThat(bodies).hasSize(3).containsOnly("{\"eventId\":\"e-1\"}");
  }

  @Test
  void aRefusedRequestIsNotSentAgain() throws Exception {
    script.add(422);
    YsbCounts counts = new YsbCounts();

    assertThat(post(counts, YsbLoad.RETRY_WINDOW)).isEqualTo(YsbLoad.Outcome.REFUSED);

    assertThat(counts.retries()).isZero();
    assertThat(bodies).hasSize(1);
  }

  @Test
  void retriesEndWithTheWindowAndTheOutcomeStaysUnknown() throws Exception {
    script.add(503);
    YsbCounts counts = new YsbCounts();

    // Attempts at 0, 250 and 500 ms; a fourth would start after the 600 ms window.
    assertThat(post(counts, Duration.ofMillis(600))).isEqualTo(YsbLoad.Outcome.UNKNOWN);

    assertThat(bodies).hasSizeBetween(2, 3);
    assertThat(counts.retries()).isEqualTo(bodies.size() - 1);
  }

  @Test
  void onlyTimeoutsThrottlingAndServerErrorsMayHaveBeenWritten() {
    assertThat(YsbLoad.outcomeOf(202)).isEqualTo(YsbLoad.Outcome.ACCEPTED);
    for (int status : List.of(408, 429, 500, 503, 504)) {
      assertThat(YsbLoad.outcomeOf(status)).as("%d", status).isEqualTo(YsbLoad.Outcome.UNKNOWN);
    }
    for (int status : List.of(400, 401, 413, 415, 422)) {
      assertThat(YsbLoad.outcomeOf(status)).as("%d", status).isEqualTo(YsbLoad.Outcome.REFUSED);
    }
  }
}
