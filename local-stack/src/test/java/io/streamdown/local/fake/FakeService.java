package io.streamdown.local.fake;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Stands in for a service jar in launcher tests: takes the same arguments, serves the readiness
 * probe on the management port and stops on SIGTERM. {@code --fake.mode=exit} makes it fail at
 * start-up, {@code --fake.mode=never} keeps it unready. Uses only the JDK, because its class is the
 * whole content of the jar the tests write.
 */
public final class FakeService {

  private FakeService() {}

  public static void main(String[] args) throws Exception {
    System.out.println("fake service args: " + String.join(" ", args));
    Map<String, String> options = new HashMap<>();
    for (String arg : args) {
      if (arg.startsWith("--") && arg.contains("=")) {
        options.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
      }
    }
    String mode = options.getOrDefault("fake.mode", "ready");
    if (mode.equals("exit")) {
      System.out.println("fake service failing on purpose");
      System.exit(3);
    }
    HttpServer app =
        HttpServer.create(new InetSocketAddress(Integer.parseInt(options.get("server.port"))), 0);
    app.createContext("/", exchange -> respond(exchange, 200, "{\"service\":\"fake\"}"));
    HttpServer management =
        HttpServer.create(
            new InetSocketAddress(Integer.parseInt(options.get("management.server.port"))), 0);
    management.createContext(
        "/actuator/health/readiness",
        exchange -> {
          boolean up = !mode.equals("never");
          respond(
              exchange, up ? 200 : 503, "{\"status\":\"" + (up ? "UP" : "OUT_OF_SERVICE") + "\"}");
        });
    app.start();
    management.start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  System.out.println("fake service stopping");
                  app.stop(0);
                  management.stop(0);
                  stopped.countDown();
                }));
    stopped.await();
  }

  private static void respond(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
