package io.streamdown.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The load generator's client against a real HTTP server on a local port. */
class LoadClientTest {

  private HttpServer server;
  private final Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();
  private final CountDownLatch never = new CountDownLatch(1);

  @BeforeEach
  void start() throws IOException {
    server = LocalHttpServer.start(64, 8);
    server.createContext(
        "/echo",
        exchange -> {
          clientPorts.add(exchange.getRemoteAddress().getPort());
          byte[] body = exchange.getRequestBody().readAllBytes();
          exchange.getResponseHeaders().add("Served-By", exchange.getRequestMethod() + ":"
              + new String(body, StandardCharsets.UTF_8)
              + ":" + exchange.getRequestURI().getRawQuery()
              + ":" + exchange.getRequestHeaders().getFirst("Authorization"));
          answer(exchange, 202);
        });
    server.createContext(
        "/close",
        exchange -> {
          clientPorts.add(exchange.getRemoteAddress().getPort());
          exchange.getResponseHeaders().add("Connection", "close");
          answer(exchange, 200);
        });
    server.createContext(
        "/hang",
        exchange -> {
          try {
            never.await(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          exchange.close();
        });
  }

  private static void answer(HttpExchange exchange, int status) throws IOException {
    LocalHttpServer.answer(exchange, status, "{\"ok\":true}");
  }

  @AfterEach
  void stop() {
    never.countDown();
    server.stop(0);
  }

  private URI base() {
    return LocalHttpServer.base(server);
  }

  @Test
  void sendsTheRequestAndReturnsTheStatusAndTheAskedHeader() throws Exception {
    try (LoadClient client =
        new LoadClient(base(), 4, "Bearer k", "Served-By", Duration.ofSeconds(10))) {
      LoadClient.Answer post = client.post("/echo", "{\"é\":1}").get(10, TimeUnit.SECONDS);
      LoadClient.Answer get = client.get("/echo?a=1&b=2").get(10, TimeUnit.SECONDS);

      assertThat(post).isEqualTo(new LoadClient.Answer(202, "POST:{\"é\":1}:null:Bearer k"));
      assertThat(get).isEqualTo(new LoadClient.Answer(202, "GET::a=1&b=2:Bearer k"));
    }
  }

  @Test
  void queuesRequestsBeyondItsConnectionsAndAnswersEveryOne() throws Exception {
    try (LoadClient client = new LoadClient(base(), 3, null, null, Duration.ofSeconds(10))) {
      List<CompletableFuture<LoadClient.Answer>> answers = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        answers.add(client.post("/echo", "{\"i\":" + i + "}"));
      }
      CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

      assertThat(answers).allSatisfy(answer -> assertThat(answer.join().status()).isEqualTo(202));
      assertThat(clientPorts).hasSizeBetween(1, 3);
    }
  }

  @Test
  void opensANewConnectionWhenTheServerClosedTheLastOne() throws Exception {
    try (LoadClient client = new LoadClient(base(), 1, null, null, Duration.ofSeconds(10))) {
      for (int i = 0; i < 5; i++) {
        assertThat(client.get("/close").get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
      }
      assertThat(clientPorts).hasSize(5);
    }
  }

  @Test
  void failsARequestThatIsNotAnsweredInTime() {
    try (LoadClient client = new LoadClient(base(), 2, null, null, Duration.ofMillis(300))) {
      CompletableFuture<LoadClient.Answer> hung = client.get("/hang");

      assertThatThrownBy(() -> hung.get(10, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(TimeoutException.class);
    }
  }

  @Test
  void failsEveryRequestWhenNothingListens() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    try (LoadClient client =
        new LoadClient(
            URI.create("http://127.0.0.1:" + port), 1, null, null, Duration.ofSeconds(10))) {
      List<CompletableFuture<LoadClient.Answer>> answers = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        answers.add(client.get("/echo"));
      }
      for (CompletableFuture<LoadClient.Answer> answer : answers) {
        assertThatThrownBy(() -> answer.get(10, TimeUnit.SECONDS))
            .isInstanceOf(ExecutionException.class)
            .hasCauseInstanceOf(java.net.ConnectException.class);
      }
    }
  }
}
