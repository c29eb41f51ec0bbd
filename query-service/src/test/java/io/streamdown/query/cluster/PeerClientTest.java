package io.streamdown.query.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamdown.query.config.RoutingSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Asking another instance, played by an HTTP server: what comes back, and every way it fails. */
class PeerClientTest {

  private static final String PATH = "/api/v1/views/by-source/windows?type=temp&source=dev-1";
  private static final Duration TIMEOUT = Duration.ofSeconds(2);

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final PeerClient peers = new PeerClient(RoutingSettings.defaults(), registry);
  private FakePeer other;

  @AfterEach
  void close() throws IOException {
    peers.close();
    if (other != null) {
      other.close();
    }
  }

  /** Answers {@code marked} to a request whose path and query contain {@code marker}. */
  private static Function<String, FakePeer.Reply> byUri(
      String marker, FakePeer.Reply marked, FakePeer.Reply otherwise) {
    return uri -> uri.contains(marker) ? marked : otherwise;
  }

  private double failures(String reason) {
    return registry.find("streamdown.query.forwards.failed").tag("reason", reason).counters()
        .stream()
        .mapToDouble(c -> c.count())
        .sum();
  }

  @Test
  void anAnswerIsTheOtherInstancesBytesAndItsServedBy() throws Exception {
    String body = "{\"count\":3,\"servedBy\":{\"route\":\"routed\"}}";
    other = new FakePeer(uri -> new FakePeer.Reply(200, body, "b:1"));

    PeerClient.Reply reply = peers.ask(other.instance(), PATH, "Bearer k", TIMEOUT);

    assertThat(reply).isInstanceOf(PeerClient.Reply.Ok.class);
    PeerClient.Reply.Ok ok = (PeerClient.Reply.Ok) reply;
    assertThat(new String(ok.body(), StandardCharsets.UTF_8)).isEqualTo(body);
    assertThat(ok.servedBy()).isEqualTo("b:1");
    FakePeer.Request request = other.requests().get(0);
    assertThat(request.pathAndQuery()).isEqualTo(PATH);
    assertThat(request.header(PeerClient.FORWARDED)).isEqualTo("1");
    assertThat(request.header("Authorization")).isEqualTo("Bearer k");
    assertThat(request.header("Accept")).isEqualTo("application/json");
  }

  @Test
  void withoutAServedByHeaderTheInstanceAskedAnswered() throws Exception {
    other = new FakePeer(uri -> new FakePeer.Reply(200, "{}", null));

    PeerClient.Reply reply = peers.ask(other.instance(), PATH, null, TIMEOUT);

    assertThat(((PeerClient.Reply.Ok) reply).servedBy()).isEqualTo(other.instance().id());
    assertThat(other.requests().get(0).header("Authorization")).isNull();
  }

  @Test
  void forwardsReuseOneConnection() throws Exception {
    other = new FakePeer(uri -> new FakePeer.Reply(200, "{}", "b:1"));

    for (int i = 0; i < 5; i++) {
      assertThat(peers.ask(other.instance(), PATH, null, TIMEOUT))
          .isInstanceOf(PeerClient.Reply.Ok.class);
    }

    assertThat(other.requests()).hasSize(5);
    assertThat(other.requests().stream().map(FakePeer.Request::clientPort).distinct())
        .hasSize(1);
  }

  @Test
  void aStatusOtherThan200IsAFailureByKind() throws Exception {
    other =
        new FakePeer(
            byUri("busy", new FakePeer.Reply(503, "{}", null), new FakePeer.Reply(404, "{}", null)));

    PeerClient.Reply busy = peers.ask(other.instance(), PATH + "&busy", null, TIMEOUT);
    PeerClient.Reply missing = peers.ask(other.instance(), PATH, null, TIMEOUT);

    assertThat(((PeerClient.Reply.Failed) busy).reason()).isEqualTo("unavailable");
    assertThat(((PeerClient.Reply.Failed) missing).reason()).isEqualTo("status");
    assertThat(((PeerClient.Reply.Failed) missing).detail()).contains("answered 404");
    assertThat(failures("unavailable")).isEqualTo(1.0);
    assertThat(failures("status")).isEqualTo(1.0);
  }

  @Test
  void aBodyThatDoesNotSayItIsJsonIsInvalid() throws Exception {
    other =
        new FakePeer(
            byUri(
                "empty",
                new FakePeer.Reply(200, "", null),
                new FakePeer.Reply(200, "<html></html>", null, "text/html")));

    PeerClient.Reply html = peers.ask(other.instance(), PATH, null, TIMEOUT);
    PeerClient.Reply empty = peers.ask(other.instance(), PATH + "&empty", null, TIMEOUT);

    assertThat(((PeerClient.Reply.Failed) html).reason()).isEqualTo("invalid");
    assertThat(((PeerClient.Reply.Failed) html).detail()).contains("text/html");
    assertThat(((PeerClient.Reply.Failed) empty).reason()).isEqualTo("invalid");
    assertThat(failures("invalid")).isEqualTo(2.0);
  }

  @Test
  void anInstanceThatDoesNotAnswerInTimeIsATimeout() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    other =
        new FakePeer(
            uri -> {
              try {
                release.await(10, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              return new FakePeer.Reply(200, "{}", null);
            });
    try {
      long start = System.nanoTime();
      PeerClient.Reply reply = peers.ask(other.instance(), PATH, null, Duration.ofMillis(300));

      assertThat(((PeerClient.Reply.Failed) reply).reason()).isEqualTo("timeout");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    } finally {
      release.countDown();
    }
  }

  @Test
  void noTimeLeftAsksNobody() throws Exception {
    other = new FakePeer(uri -> new FakePeer.Reply(200, "{}", null));

    PeerClient.Reply reply = peers.ask(other.instance(), PATH, null, Duration.ZERO);

    assertThat(((PeerClient.Reply.Failed) reply).reason()).isEqualTo("timeout");
    assertThat(other.requests()).isEmpty();
  }

  @Test
  void anInstanceNobodyListensOnIsAConnectFailure() throws Exception {
    other = new FakePeer(uri -> new FakePeer.Reply(200, "{}", null));
    Instance gone = other.instance();
    other.close();
    other = null;

    PeerClient.Reply reply = peers.ask(gone, PATH, null, TIMEOUT);

    assertThat(((PeerClient.Reply.Failed) reply).reason()).isEqualTo("connect");
    assertThat(failures("connect")).isEqualTo(1.0);
  }

  @Test
  void aFanOutPartIsClassifiedAlike() throws Exception {
    other =
        new FakePeer(
            byUri(
                "html",
                new FakePeer.Reply(200, "<p>", null, "text/html"),
                new FakePeer.Reply(200, "{\"entries\":[]}", "b:1")));

    PeerClient.Reply ok = peers.get(other.instance(), PATH, null, TIMEOUT).join();
    PeerClient.Reply html = peers.get(other.instance(), PATH + "&html", null, TIMEOUT).join();

    assertThat(new String(((PeerClient.Reply.Ok) ok).body(), StandardCharsets.UTF_8))
        .isEqualTo("{\"entries\":[]}");
    assertThat(((PeerClient.Reply.Failed) html).reason()).isEqualTo("invalid");
  }
}
