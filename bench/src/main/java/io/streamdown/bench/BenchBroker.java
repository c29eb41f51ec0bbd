package io.streamdown.bench;

import io.streamdown.local.PortPlan;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The Kafka broker of a stack the benchmark starts, in a JVM of its own: the launcher of
 * {@code ./streamdown up --broker-only}, with the JVM options the {@code streamdown} script gives
 * it. A user's broker never shares a JVM with the programs that load it, and sharing one
 * measured the load generator along with the broker: its collections stopped the broker too (G1
 * pauses of 28-42 ms in W1's half-rate phase), its CPU and memory were counted as the broker's,
 * and its first Kafka consumer made the JIT recompile the broker's code (bench README).
 */
final class BenchBroker implements AutoCloseable {

  /** The launcher JVM's options when {@code STREAMDOWN_JAVA_OPTS} is unset (the script's). */
  static final List<String> JVM_OPTIONS = List.of("-Xms128m", "-Xmx512m", "-XX:+UseSerialGC");

  static final String MAIN_CLASS = "io.streamdown.local.Main";

  /** The line the launcher prints once the broker answers and the topics exist. */
  static final String READY = "Streamdown is up";

  static final Duration START_TIMEOUT = Duration.ofSeconds(120);
  static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

  private final PeerProcess process;
  private final String bootstrapServers;

  private BenchBroker(PeerProcess process, String bootstrapServers) {
    this.process = process;
    this.bootstrapServers = bootstrapServers;
  }

  /**
   * {@code java <JVM_OPTIONS> <extraJvmOptions> -javaagent:<watchdog> -cp <local-stack jar> … Main
   * up --broker-only --home <home> --data <dataDir> --broker-port … --controller-port … --prefix
   * … --partitions …}.
   *
   * @param extraJvmOptions after the defaults, so that a later option wins (another collector
   *     needs {@code -XX:-UseSerialGC} first: the JVM refuses two)
   */
  static List<String> command(
      Path home,
      Path dataDir,
      PortPlan ports,
      String topicPrefix,
      int partitions,
      List<String> extraJvmOptions) {
    List<String> jvm = new ArrayList<>(JVM_OPTIONS);
    jvm.addAll(extraJvmOptions);
    List<String> command = PeerCommand.of(home, "local-stack", "the launcher", jvm, MAIN_CLASS);
    command.addAll(
        List.of(
            "up",
            "--broker-only",
            "--home",
            home.toString(),
            "--data",
            dataDir.toString(),
            "--broker-port",
            Integer.toString(ports.brokerPort()),
            "--controller-port",
            Integer.toString(ports.controllerPort()),
            "--prefix",
            topicPrefix,
            "--partitions",
            Integer.toString(partitions)));
    return command;
  }

  /**
   * Starts the broker on the plan's broker and controller ports with its data (and its log,
   * {@code logs/broker.log}) in {@code dataDir}, creates the topics, and returns once it is ready.
   *
   * @param log the file that receives the launcher's output
   * @throws IllegalStateException if the launcher is not built, exits, or is not ready in time
   */
  static BenchBroker start(
      Path home,
      Path dataDir,
      PortPlan ports,
      String topicPrefix,
      int partitions,
      List<String> extraJvmOptions,
      Path log) {
    List<String> command =
        command(home, dataDir, ports, topicPrefix, partitions, extraJvmOptions);
    try {
      Files.createDirectories(log.toAbsolutePath().getParent());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the broker's log directory", e);
    }
    PeerProcess broker = PeerProcess.start(command, "the benchmark's broker");
    // Stopped by the stack after its services, never by the peers' kill-on-exit hook, which would
    // race the services' shutdown; the watchdog agent ends it if this JVM is killed.
    broker.release();
    CompletableFuture<Void> ready = new CompletableFuture<>();
    PeerOutput.start(
        broker.process(),
        log,
        line -> {
          if (line.startsWith(READY)) {
            ready.complete(null);
          }
        },
        last ->
            ready.completeExceptionally(
                new IllegalStateException("the launcher exited: " + last)));
    broker.awaitReady(ready, START_TIMEOUT, STOP_TIMEOUT, "the broker", log);
    return new BenchBroker(broker, ports.bootstrapServers());
  }

  String bootstrapServers() {
    return bootstrapServers;
  }

  long pid() {
    return process.process().pid();
  }

  /** SIGTERM (the launcher stops the broker cleanly), then waits; SIGKILL after the timeout. */
  @Override
  public void close() {
    process.stop(STOP_TIMEOUT);
  }
}
