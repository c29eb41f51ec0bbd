package io.streamdown.query.cluster;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * Another query instance, played by a tiny HTTP server: answers what the test says, records what
 * it was asked.
 */
public final class FakePeer implements AutoCloseable {

  /** An answer: status, body, the served-by header (null for none) and the content type. */
  public record Reply(int status, String body, String servedBy, String contentType) {

    /** A JSON answer. */
    public Reply(int status, String body, String servedBy) {
      this(status, body, servedBy, "application/json");
    }
  }

  /** A request it got, and the port it came from (one per client connection). */
  public record Request(String pathAndQuery, Map<String, List<String>> headers, int clientPort) {
    public String header(String name) {
      return headers.entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(e -> e.getValue().get(0))
          .findFirst()
          .orElse(null);
    }
  }

  private final HttpServer server;
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private volatile Function<String, Reply> answer;

  public FakePeer(Function<String, Reply> answer) throws IOException {
    this.answer = answer;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          String uri = exchange.getRequestURI().toString();
          requests.add(
              new Request(
                  uri,
                  Map.copyOf(exchange.getRequestHeaders()),
                  exchange.getRemoteAddress().getPort()));
          Reply reply = this.answer.apply(uri);
          byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", reply.contentType());
          if (reply.servedBy() != null) {
            exchange.getResponseHeaders().add(PeerClient.SERVED_BY, reply.servedBy());
          }
          exchange.sendResponseHeaders(reply.status(), body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
  }

  public Instance instance() {
    return new Instance("127.0.0.1", server.getAddress().getPort());
  }

  public List<Request> requests() {
    return requests;
  }

  public void answer(Function<String, Reply> answer) {
    this.answer = answer;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
