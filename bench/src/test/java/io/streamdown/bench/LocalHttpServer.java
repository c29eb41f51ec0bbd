package io.streamdown.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/** A JDK HTTP server on a free local port, for tests of the load generator's clients. */
final class LocalHttpServer {

  private LocalHttpServer() {}

  /** A started server with {@code threads} handler threads; add contexts with createContext. */
  static HttpServer start(int backlog, int threads) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), backlog);
    server.setExecutor(Executors.newFixedThreadPool(threads));
    server.start();
    return server;
  }

  static URI base(HttpServer server) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** Answers with {@code status} and a small JSON body, and ends the exchange. */
  static void answer(HttpExchange exchange, int status, String json) throws IOException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  }
}
