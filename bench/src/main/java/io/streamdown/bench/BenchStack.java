package io.streamdown.bench;

import io.streamdown.local.PortPlan;
import io.streamdown.local.Service;
import io.streamdown.local.StackOptions;
import java.nio.file.Path;
import java.util.List;

/**
 * The stack the benchmark starts for itself: free ports (never the defaults, so it runs beside a
 * user's {@code ./streamdown up}), the YSB view as the only view of aggregate and query, and
 * optional extra arguments for the three Kafka Streams services (such as the processing guarantee).
 */
public final class BenchStack {

  private BenchStack() {}

  /**
   * Copies the four service jars below {@code <home>/bench/target/stack-home} and returns that
   * directory, to use as the stack's home: a rebuild of a service during a long run then cannot
   * swap classes under a running JVM or change what is measured half-way.
   */
  public static Path snapshotJars(Path home) {
    Path snapshot = home.resolve("bench/target/stack-home");
    try {
      for (Service service : Service.values()) {
        Path source = service.jar(home);
        if (!java.nio.file.Files.isRegularFile(source)) {
          return home; // the launcher's pre-flight names what is missing
        }
        Path copy = service.jar(snapshot);
        java.nio.file.Files.createDirectories(copy.getParent());
        java.nio.file.Files.copy(source, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return snapshot;
  }

  /** The Kafka Streams services. */
  private static final List<Service> STREAMS_SERVICES =
      List.of(Service.ENRICH, Service.AGGREGATE, Service.QUERY);

  static final String QUERY_ACCEPTABLE_LAG =
      "--spring.kafka.streams.properties.acceptable.recovery.lag=" + Long.MAX_VALUE;

  /**
   * The options of a benchmark stack.
   *
   * @param streamsArgs extra arguments of the three Kafka Streams services
   * @param javaOptions extra JVM options of every service, after the defaults
   */
  public static StackOptions options(
      Path home, Path dataDir, int partitions, List<String> streamsArgs, List<String> javaOptions) {
    StackOptions.Builder builder =
        StackOptions.builder(home)
            .dataDir(dataDir)
            .ports(PortPlan.freePorts())
            .partitions(partitions)
            .addJvmOptions(javaOptions);
    // Enrich too: it keys events.enriched by the first view's groups, as aggregate expects.
    for (Service service : STREAMS_SERVICES) {
      builder.addServiceArgs(service, Ysb.viewArgs());
    }
    // W4 adds a second query instance to a running stack. Kafka Streams would leave every active
    // task where its state is and only warm the newcomer up, moving tasks at the next probing
    // rebalance (10 minutes on); query stores rebuild from the aggregates topic in seconds, so the
    // newcomer may take its share at once.
    builder.addServiceArgs(Service.QUERY, List.of(QUERY_ACCEPTABLE_LAG));
    for (Service service : STREAMS_SERVICES) {
      builder.addServiceArgs(service, streamsArgs);
    }
    return builder.build();
  }
}
