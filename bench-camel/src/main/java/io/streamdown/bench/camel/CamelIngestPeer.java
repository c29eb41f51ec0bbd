package io.streamdown.bench.camel;

import java.util.List;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;

/**
 * The peer that W1 of {@code ./streamdown bench} measures ingest against: a standalone Camel
 * application (camel-main, no Spring) whose one route takes {@code POST /api/v1/events} from {@code
 * platform-http} and sends the body to Kafka, answering 202 once the broker acknowledged.
 *
 * <p>{@code --bootstrap host:port --topic name --port n} ({@code 0}: any free port). Prints {@code
 * CAMEL-PEER READY port=<port>} once the HTTP server listens; camel-main's hang-up handling stops
 * the route, the producer and the server gracefully on SIGTERM.
 *
 * <p>The HTTP server is camel-platform-http-vertx's {@link VertxPlatformHttpServer}, added to the
 * context as that component's documentation shows for a runtime without one of its own
 * (camel-platform-http-main wraps the same server for camel-main, but is not on Maven Central for
 * this Camel version). It binds to the loopback interface only, as the local stack's services do.
 */
public final class CamelIngestPeer {

  /** The line a launcher waits for, followed by the port number. */
  public static final String READY = "CAMEL-PEER READY port=";

  private CamelIngestPeer() {}

  public static void main(String[] args) throws Exception {
    PeerArgs options;
    try {
      options = PeerArgs.parse(List.of(args));
    } catch (IllegalArgumentException e) {
      System.err.println("camel peer: " + e.getMessage());
      System.exit(2);
      return;
    }
    VertxPlatformHttpServerConfiguration http = new VertxPlatformHttpServerConfiguration();
    http.setBindHost("127.0.0.1");
    http.setBindPort(options.port());
    VertxPlatformHttpServer server = new VertxPlatformHttpServer(http);

    Main main = new Main();
    // The platform-http engine finds the server's port through its configuration in the registry.
    main.bind("platformHttpServerConfiguration", http);
    main.configure().addRoutesBuilder(new EventsToKafka(options.bootstrap(), options.topic()));
    main.addMainListener(
        new MainListenerSupport() {
          @Override
          public void beforeStart(BaseMainSupport support) {
            try {
              support.getCamelContext().addService(server);
            } catch (Exception e) {
              throw new IllegalStateException("cannot add the HTTP server", e);
            }
          }

          @Override
          public void afterStart(BaseMainSupport support) {
            System.out.println(READY + server.getPort());
            System.out.flush();
          }
        });
    main.run();
  }
}
