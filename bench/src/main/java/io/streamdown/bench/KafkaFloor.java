package io.streamdown.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Runs W5's floor ({@link KafkaFloorTopologies}) in a child JVM over a backlog of the raw events
 * topic: its enrich application starts at the backlog's first offsets (committed for it before it
 * starts), so it reads exactly the records Streamdown and Flink read. The benchmark measures its
 * drain like Streamdown's, from the groups' committed offsets ({@link #enrichGroup()}, {@link
 * #aggregateGroup()}); {@link #close()} stops the JVM.
 */
public final class KafkaFloor implements AutoCloseable {

  private static final String APPLICATION_PREFIX = "bench-floor-";

  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);

  private final PeerProcess peer;
  private final PeerOutput output;
  private final String enriched;

  private KafkaFloor(PeerProcess peer, PeerOutput output, String enriched) {
    this.peer = peer;
    this.output = output;
    this.enriched = enriched;
  }

  /**
   * Creates the floor's topics (as many partitions as {@code input}), commits {@code
   * startOffsets} (partition to offset of {@code input}) for its enrich application, and starts
   * its JVM.
   *
   * @param jvmOptions the JVM options of the services, so both run alike
   * @param streamsProperties the run's Kafka Streams properties ({@code key=value})
   * @param workDir where its state and log go
   */
  public static KafkaFloor start(
      Path home,
      List<String> jvmOptions,
      String bootstrap,
      String input,
      Map<Integer, Long> startOffsets,
      String topicPrefix,
      List<String> streamsProperties,
      Path workDir,
      Consumer<String> progress) {
    String enriched = topicPrefix + "floor.enriched";
    String counts = topicPrefix + "floor.counts";
    try (PipelineLag topics = new PipelineLag(bootstrap)) {
      int partitions = topics.partitions(input);
      topics.createTopic(enriched, partitions);
      topics.createTopic(counts, partitions);
    }
    commitStart(bootstrap, enrichGroup(), input, startOffsets);
    Path log = workDir.resolve("w5-floor.log");
    List<String> command =
        PeerCommand.of(
            home, "bench", "the Kafka floor", jvmOptions, KafkaFloorJob.class.getName());
    command.addAll(
        List.of(
            "--bootstrap",
            bootstrap,
            "--input",
            input,
            "--enriched",
            enriched,
            "--counts",
            counts,
            "--application-prefix",
            APPLICATION_PREFIX,
            "--state-dir",
            workDir.resolve("w5-floor-state").toString()));
    streamsProperties.forEach(p -> command.addAll(List.of("--property", p)));
    try {
      Files.createDirectories(workDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + workDir, e);
    }
    PeerProcess peer = PeerProcess.start(command, "the Kafka floor");
    PeerOutput output =
        PeerOutput.start(
            peer.process(),
            log,
            line -> {
              if (line.startsWith(KafkaFloorJob.RUNNING)) {
                progress.accept("  w5 floor: running (log " + log + ")");
              }
            },
            last -> {});
    return new KafkaFloor(peer, output, enriched);
  }

  /** The consumer group (application id) of the floor's enrich application. */
  public static String enrichGroup() {
    return APPLICATION_PREFIX + "enrich";
  }

  /** The consumer group (application id) of the floor's aggregate application. */
  public static String aggregateGroup() {
    return APPLICATION_PREFIX + "aggregate";
  }

  /** What the aggregate application reads: the enriched copy and its repartition topic. */
  public List<String> aggregateInput() {
    return List.of(
        enriched, aggregateGroup() + "-" + KafkaFloorTopologies.REPARTITION + "-repartition");
  }

  /** The floor JVM's process id. */
  public long pid() {
    return peer.process().pid();
  }

  /** Whether the JVM is still running, and if not, its last lines. */
  public String failure() {
    Process process = peer.process();
    return process.isAlive() ? null : "exit " + process.exitValue() + ": " + output.lastLines();
  }

  private static void commitStart(
      String bootstrap, String group, String topic, Map<Integer, Long> startOffsets) {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    startOffsets.forEach(
        (partition, offset) ->
            offsets.put(new TopicPartition(topic, partition), new OffsetAndMetadata(offset)));
    try (Admin admin = Admin.create(props)) {
      admin.alterConsumerGroupOffsets(group, offsets).all().get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot commit the floor's start offsets", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Stops the JVM: its shutdown hook closes both applications; forcibly after 20 s. */
  @Override
  public void close() {
    peer.stop(STOP_TIMEOUT);
    try {
      output.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
