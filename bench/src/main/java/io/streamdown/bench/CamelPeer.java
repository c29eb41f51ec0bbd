package io.streamdown.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The Camel peer of W1 (module {@code bench-camel}) as a child JVM with the services' heap and GC
 * options, so that both sides of the comparison run in the same kind of JVM. Its output goes to a
 * log file; {@link #start} returns once it printed its ready line with the port it listens on.
 */
public final class CamelPeer implements AutoCloseable {

  static final String MAIN_CLASS = "io.streamdown.bench.camel.CamelIngestPeer";
  static final String READY = "CAMEL-PEER READY port=";
  static final Duration START_TIMEOUT = Duration.ofSeconds(90);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

  private final PeerProcess peer;
  private final URI base;
  private final String camelVersion;

  private CamelPeer(PeerProcess peer, int port, String camelVersion) {
    this.peer = peer;
    this.camelVersion = camelVersion;
    this.base = URI.create("http://localhost:" + port);
  }

  /** The jar Maven builds in {@code <home>/bench-camel/target}. */
  static Path jar(Path home) {
    return PeerCommand.jar(home, "bench-camel");
  }

  /**
   * Starts the peer on a free port, writing to {@code topic} of the broker at {@code bootstrap},
   * and waits for its ready line.
   *
   * @param home the repository root, where {@code bench-camel/target} holds the peer's jars
   * @param jvmOptions the peer's JVM options, those of the stack's services
   * @param log the file that receives the peer's output
   * @throws IllegalStateException if the peer is not built, exits, or is not ready in time
   */
  public static CamelPeer start(
      Path home, String bootstrap, String topic, List<String> jvmOptions, Path log) {
    List<String> command =
        PeerCommand.of(home, "bench-camel", "the Camel peer", jvmOptions, MAIN_CLASS);
    command.addAll(List.of("--bootstrap", bootstrap, "--topic", topic, "--port", "0"));
    try {
      Files.createDirectories(log.toAbsolutePath().getParent());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the Camel peer's log directory", e);
    }
    PeerProcess peer = PeerProcess.start(command, "the Camel peer");
    CompletableFuture<Integer> ready = new CompletableFuture<>();
    PeerOutput.start(
        peer.process(),
        log,
        line -> {
          if (!ready.isDone() && line.startsWith(READY)) {
            ready.complete(Integer.parseInt(line.substring(READY.length()).trim()));
          }
        },
        last ->
            ready.completeExceptionally(new IllegalStateException("the peer exited: " + last)));
    int port = peer.awaitReady(ready, START_TIMEOUT, STOP_TIMEOUT, "the Camel peer", log);
    return new CamelPeer(peer, port, camelVersion(home.resolve("bench-camel/target/lib")));
  }

  /** {@code http://localhost:<port>}; the route listens on {@code /api/v1/events}. */
  public URI base() {
    return base;
  }

  public long pid() {
    return peer.process().pid();
  }

  /** The Camel version the peer runs, from its {@code camel-main} jar. */
  public String camelVersion() {
    return camelVersion;
  }

  private static String camelVersion(Path lib) {
    String prefix = "camel-main-";
    try (var jars = Files.list(lib)) {
      return jars.map(p -> p.getFileName().toString())
          .filter(name -> name.startsWith(prefix) && name.endsWith(".jar"))
          .map(name -> name.substring(prefix.length(), name.length() - ".jar".length()))
          .findFirst()
          .orElse("?");
    } catch (IOException e) {
      return "?";
    }
  }

  /** SIGTERM (Camel shuts its route, producer and server down gracefully), then waits. */
  @Override
  public void close() {
    peer.stop(STOP_TIMEOUT);
  }
}
