package io.streamdown.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.streamdown.ingest.service.IngestMetrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole application pointed at a port where no broker listens, with its default write deadline:
 * every write answers 503 with {@code Retry-After}, in bounded time, and no request thread hangs.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "management.server.port=0")
class KafkaUnavailableIT {

  /** The default write deadline is 10 s; the answer must come well before a client gives up. */
  private static final Duration BOUND = Duration.ofSeconds(15);

  @LocalServerPort int port;
  @Autowired MeterRegistry registry;

  private HttpCalls http;

  @DynamicPropertySource
  static void deadBroker(DynamicPropertyRegistry registry) {
    int deadPort = freePort();
    registry.add("spring.kafka.bootstrap-servers", () -> "localhost:" + deadPort);
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @BeforeEach
  void setUp() {
    http = new HttpCalls(port);
  }

  private static HttpResponse<String> timed(Supplier<HttpResponse<String>> call) {
    long start = System.nanoTime();
    HttpResponse<String> response = call.get();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(BOUND);
    return response;
  }

  private static void assertUnavailable(HttpResponse<String> response) {
    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.headers().firstValue("Retry-After")).hasValue("5");
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(HttpCalls.json(response).get("status").asInt()).isEqualTo(503);
  }

  @Test
  void batchIs503WithRetryAfter() {
    double before =
        registry.get(IngestMetrics.REJECTED).tag("reason", "unavailable").counter().count();

    assertUnavailable(
        timed(
            () ->
                http.post(
                    "/api/v1/events",
                    "application/json",
                    "[{\"source\":\"a\",\"type\":\"t\"},{\"source\":\"b\",\"type\":\"t\"}]")));

    assertThat(registry.get(IngestMetrics.REJECTED).tag("reason", "unavailable").counter().count())
        .isEqualTo(before + 2);
  }

  @Test
  void singleEventIs503WithRetryAfter() {
    assertUnavailable(
        timed(
            () ->
                http.post(
                    "/api/v1/events", "application/json", "{\"source\":\"a\",\"type\":\"t\"}")));
  }

  @Test
  void referenceWritesAre503WithRetryAfter() {
    assertUnavailable(
        timed(() -> http.put("/api/v1/reference/a", "application/json", "{\"site\":\"x\"}")));
    assertUnavailable(timed(() -> http.delete("/api/v1/reference/a")));
  }

  @Test
  void validationStillAnswersWithoutKafka() {
    HttpResponse<String> response =
        timed(() -> http.post("/api/v1/events", "application/json", "{\"source\":\"a\"}"));

    assertThat(response.statusCode()).isEqualTo(422);
  }
}
