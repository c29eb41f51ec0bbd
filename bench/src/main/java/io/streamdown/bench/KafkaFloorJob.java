package io.streamdown.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;

/**
 * The child JVM of W5's floor ({@link KafkaFloorTopologies}): runs its two applications, each
 * with exactly-once v2 and the Streams settings of the run, until the JVM is stopped. It prints
 * {@value #RUNNING} once both are running.
 *
 * <p>Arguments: {@code --bootstrap B --input T --enriched T --counts T --application-prefix P
 * --state-dir D [--property key=value]...}.
 */
public final class KafkaFloorJob {

  static final String RUNNING = "kafka-floor: running";

  private KafkaFloorJob() {}

  public static void main(String[] args) throws InterruptedException {
    String bootstrap = null;
    String input = null;
    String enriched = null;
    String counts = null;
    String prefix = null;
    Path stateDir = null;
    List<String> properties = new ArrayList<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      String value = args[i + 1];
      switch (args[i]) {
        case "--bootstrap" -> bootstrap = value;
        case "--input" -> input = value;
        case "--enriched" -> enriched = value;
        case "--counts" -> counts = value;
        case "--application-prefix" -> prefix = value;
        case "--state-dir" -> stateDir = Path.of(value);
        case "--property" -> properties.add(value);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    if (bootstrap == null || input == null || enriched == null || counts == null
        || prefix == null || stateDir == null) {
      throw new IllegalArgumentException(
          "usage: --bootstrap B --input T --enriched T --counts T --application-prefix P"
              + " --state-dir D [--property key=value]...");
    }
    List<KafkaStreams> apps =
        List.of(
            new KafkaStreams(
                KafkaFloorTopologies.enrich(input, enriched),
                config(prefix + "enrich", bootstrap, stateDir, properties)),
            new KafkaStreams(
                KafkaFloorTopologies.aggregate(enriched, counts),
                config(prefix + "aggregate", bootstrap, stateDir, properties)));
    CountDownLatch running = new CountDownLatch(apps.size());
    CountDownLatch stopped = new CountDownLatch(1);
    for (KafkaStreams app : apps) {
      AtomicBoolean counted = new AtomicBoolean();
      app.setStateListener(
          (now, before) -> {
            // Once per application: a later rebalance brings it back to RUNNING again.
            if (now == KafkaStreams.State.RUNNING && !counted.getAndSet(true)) {
              running.countDown();
            }
          });
    }
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  apps.forEach(app -> app.close(Duration.ofSeconds(10)));
                  stopped.countDown();
                },
                "kafka-floor-stop"));
    apps.forEach(KafkaStreams::start);
    running.await();
    System.out.println(RUNNING);
    stopped.await();
  }

  /** Exactly-once v2, then the run's own Streams properties, which win. */
  static Properties config(
      String applicationId, String bootstrap, Path stateDir, List<String> properties) {
    Properties config = new Properties();
    config.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.resolve(applicationId).toString());
    config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    config.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, 0);
    for (String property : properties) {
      int eq = property.indexOf('=');
      config.put(property.substring(0, eq), property.substring(eq + 1));
    }
    return config;
  }
}
