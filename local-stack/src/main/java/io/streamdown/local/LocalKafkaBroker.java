package io.streamdown.local;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Apache Kafka broker running in this JVM: one node in KRaft combined mode (broker and
 * controller), keeping its data in a directory so that a restart finds its topics and records
 * again. The storage is formatted only when it has no {@code meta.properties} yet.
 *
 * <p>Sized for one developer machine: replication factor 1 everywhere, no initial rebalance delay,
 * a small log-cleaner buffer (the default 128 MiB would dominate the idle heap).
 */
public final class LocalKafkaBroker implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(LocalKafkaBroker.class);

  static final int NODE_ID = 1;
  static final String CONTROLLER_LISTENER = "CONTROLLER";

  /** How long {@link #start} waits for the broker to answer an admin client. */
  public static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  private final KafkaConfig config;
  private KafkaRaftServer server;
  private final Path dataDir;
  private final String bootstrapServers;
  private final boolean formatted;
  private final Duration startupTime;
  private boolean closed;

  private LocalKafkaBroker(
      KafkaConfig config,
      KafkaRaftServer server,
      Path dataDir,
      String bootstrapServers,
      boolean formatted,
      Duration startupTime) {
    this.config = config;
    this.server = server;
    this.dataDir = dataDir;
    this.bootstrapServers = bootstrapServers;
    this.formatted = formatted;
    this.startupTime = startupTime;
  }

  /**
   * Starts a broker on explicit ports and returns once an admin client can describe the cluster.
   *
   * @param dataDir the log directory; created and formatted if it holds no broker yet
   * @param brokerPort the PLAINTEXT listener on localhost
   * @param controllerPort the KRaft controller listener on localhost
   * @throws StackException if the broker fails to start or does not become ready in time
   */
  public static LocalKafkaBroker start(Path dataDir, int brokerPort, int controllerPort) {
    return start(dataDir, brokerPort, controllerPort, Map.of());
  }

  /**
   * As {@link #start(Path, int, int)}, with broker settings that override the defaults (for example
   * {@code log.retention.check.interval.ms} in a test).
   */
  public static LocalKafkaBroker start(
      Path dataDir, int brokerPort, int controllerPort, Map<String, String> overrides) {
    Instant begin = Instant.now();
    Path dir = dataDir.toAbsolutePath().normalize();
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the broker's data directory " + dir, e);
    }
    Properties properties = config(dir, brokerPort, controllerPort);
    properties.putAll(overrides);
    KafkaConfig config = KafkaConfig.fromProps(properties, false);
    boolean formatted = formatIfNeeded(config, dir);
    KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
    String bootstrapServers = "localhost:" + brokerPort;
    try {
      server.startup();
      awaitReady(bootstrapServers, begin.plus(READY_TIMEOUT));
    } catch (RuntimeException e) {
      stop(server);
      throw new StackException(
          "the Kafka broker failed to start on port "
              + brokerPort
              + " with data in "
              + dir
              + ": "
              + e,
          e);
    }
    Duration took = Duration.between(begin, Instant.now());
    log.info("Kafka broker ready at {} in {} ms (data {})", bootstrapServers, took.toMillis(), dir);
    return new LocalKafkaBroker(config, server, dir, bootstrapServers, formatted, took);
  }

  /** The broker configuration: combined mode, one node, replication factor 1. */
  static Properties config(Path dataDir, int brokerPort, int controllerPort) {
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", Integer.toString(NODE_ID));
    p.put("controller.quorum.voters", NODE_ID + "@localhost:" + controllerPort);
    p.put(
        "listeners",
        "PLAINTEXT://localhost:"
            + brokerPort
            + ","
            + CONTROLLER_LISTENER
            + "://localhost:"
            + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://localhost:" + brokerPort);
    p.put("controller.listener.names", CONTROLLER_LISTENER);
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put(
        "listener.security.protocol.map",
        "PLAINTEXT:PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
    p.put("log.dirs", dataDir.toString());
    p.put("num.partitions", "6");
    p.put("default.replication.factor", "1");
    p.put("min.insync.replicas", "1");
    p.put("offsets.topic.replication.factor", "1");
    // The internal topics default to 50 partitions each: hundreds of files and index maps that
    // one broker on a laptop never needs.
    p.put("offsets.topic.num.partitions", "6");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("transaction.state.log.num.partitions", "6");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put("group.initial.rebalance.delay.ms", "0");
    // The cleaner's dedupe buffer is allocated up front; 128 MiB by default.
    p.put("log.cleaner.dedupe.buffer.size", "16777216");
    return p;
  }

  /**
   * Formats the storage unless it already holds a broker. Uses the formatter behind {@code
   * kafka-storage.sh format}, whose command-line entry point would exit the JVM.
   *
   * @return whether the storage was formatted now
   */
  static boolean formatIfNeeded(KafkaConfig config, Path dataDir) {
    if (Files.exists(dataDir.resolve("meta.properties"))) {
      return false;
    }
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    try (PrintStream print = new PrintStream(output, true, StandardCharsets.UTF_8)) {
      new Formatter()
          .setPrintStream(print)
          .setNodeId(config.nodeId())
          .setClusterId(Uuid.randomUuid().toString())
          .setControllerListenerName(CONTROLLER_LISTENER)
          .setMetadataLogDirectory(config.metadataLogDir())
          .addDirectory(dataDir.toString())
          .run();
    } catch (Exception e) {
      throw new StackException("cannot format the Kafka storage in " + dataDir + ": " + e, e);
    }
    log.info("Formatted Kafka storage: {}", output.toString(StandardCharsets.UTF_8).trim());
    return true;
  }

  private static void awaitReady(String bootstrapServers, Instant deadline) {
    Properties properties = new Properties();
    properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
    properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
    try (Admin admin = Admin.create(properties)) {
      while (true) {
        try {
          if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
            return;
          }
        } catch (ExecutionException | TimeoutException e) {
          if (Instant.now().isAfter(deadline)) {
            throw new StackException("the broker did not answer at " + bootstrapServers, e);
          }
        }
        if (Instant.now().isAfter(deadline)) {
          throw new StackException("the broker at " + bootstrapServers + " reports no nodes");
        }
        TimeUnit.MILLISECONDS.sleep(100);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StackException("interrupted while waiting for the broker", e);
    }
  }

  /** {@code localhost:<port>}, for clients. */
  public String bootstrapServers() {
    return bootstrapServers;
  }

  /** The broker's log directory. */
  public Path dataDir() {
    return dataDir;
  }

  /** Whether this start formatted new storage (false when it reused existing data). */
  public boolean formattedOnStart() {
    return formatted;
  }

  /** From the call to {@link #start} until an admin client could describe the cluster. */
  public Duration startupTime() {
    return startupTime;
  }

  /**
   * Shuts the broker down cleanly, stays down for {@code downtime}, and starts it again on the same
   * ports with the same data, as an operator's rolling restart would; clients see it unreachable
   * meanwhile. Returns once an admin client can describe the cluster again.
   *
   * @return from the start of the shutdown until the broker answered again
   * @throws IllegalStateException if the broker was closed
   * @throws StackException if it does not start again in time
   */
  public synchronized Duration restart(Duration downtime) {
    if (closed) {
      throw new IllegalStateException("the broker at " + bootstrapServers + " was closed");
    }
    Instant begin = Instant.now();
    stop(server);
    log.info("Kafka broker at {} stopped for a restart", bootstrapServers);
    try {
      TimeUnit.MILLISECONDS.sleep(downtime.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    KafkaRaftServer next = new KafkaRaftServer(config, Time.SYSTEM);
    server = next;
    try {
      next.startup();
      awaitReady(bootstrapServers, Instant.now().plus(READY_TIMEOUT));
    } catch (RuntimeException e) {
      throw new StackException(
          "the Kafka broker did not start again at " + bootstrapServers + ": " + e, e);
    }
    Duration took = Duration.between(begin, Instant.now());
    log.info("Kafka broker at {} restarted in {} ms", bootstrapServers, took.toMillis());
    return took;
  }

  /** Shuts the broker down and waits until it has; safe to call twice. */
  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      stop(server);
      log.info("Kafka broker at {} stopped", bootstrapServers);
    }
  }

  private static void stop(KafkaRaftServer server) {
    server.shutdown();
    server.awaitShutdown();
  }
}
