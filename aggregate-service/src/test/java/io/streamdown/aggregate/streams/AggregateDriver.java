package io.streamdown.aggregate.streams;

import io.streamdown.schemas.AggregateKey;
import io.streamdown.schemas.EnrichedEvent;
import io.streamdown.schemas.EnrichedKeying;
import io.streamdown.schemas.Event;
import io.streamdown.schemas.Json;
import io.streamdown.schemas.Topic;
import io.streamdown.schemas.TopicCatalog;
import io.streamdown.schemas.ViewDefinition;
import io.streamdown.schemas.WindowAggregate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.test.TestRecord;

/**
 * A {@link TopologyTestDriver} over {@link AggregateTopology} with the production guarantees
 * (exactly-once v2, explicit naming enforced) and the record cache off, so every update is
 * visible. Input records carry the ingest time as Kafka timestamp, as enrich writes them.
 */
final class AggregateDriver implements AutoCloseable {

  /** A start of day: aligned to every window size used in the tests. */
  static final long BASE = Instant.parse("2026-01-05T00:00:00Z").toEpochMilli();

  final TopicCatalog topics = TopicCatalog.withDefaultPrefix();
  final RecordingListener listener = new RecordingListener();
  final Topology topology;
  final TopologyTestDriver driver;
  final TestInputTopic<String, byte[]> input;
  final TestOutputTopic<AggregateKey, WindowAggregate> output;
  final TestOutputTopic<String, byte[]> deadLetters;

  private final Path stateDir;

  AggregateDriver(ViewDefinition... views) {
    this(Map.of(), views);
  }

  /** With extra Streams properties, e.g. a record cache. */
  AggregateDriver(Map<String, Object> overrides, ViewDefinition... views) {
    this(overrides, EnrichedKeying.Mode.FIRST_VIEW, views);
  }

  /** Expecting {@code events.enriched} keyed as {@code mode} says. */
  AggregateDriver(EnrichedKeying.Mode mode, ViewDefinition... views) {
    this(Map.of(), mode, views);
  }

  /** With origins idle after {@code originIdle} instead of the default. */
  AggregateDriver(Duration originIdle, ViewDefinition... views) {
    this(Map.of(), EnrichedKeying.Mode.FIRST_VIEW, originIdle, views);
  }

  private AggregateDriver(
      Map<String, Object> overrides, EnrichedKeying.Mode mode, ViewDefinition... views) {
    this(overrides, mode, AggregateTopology.DEFAULT_ORIGIN_IDLE, views);
  }

  private AggregateDriver(
      Map<String, Object> overrides,
      EnrichedKeying.Mode mode,
      Duration originIdle,
      ViewDefinition... views) {
    stateDir = newStateDir();
    Properties props = properties(stateDir);
    props.putAll(overrides);
    // As Spring builds it: a builder configured with the streams properties, so that
    // ensure.explicit.internal.resource.naming is enforced when the topology is built.
    StreamsBuilder builder = new StreamsBuilder(new TopologyConfig(new StreamsConfig(props)));
    AggregateTopology.addTo(
        builder,
        topics,
        List.of(views),
        EnrichedKeying.of(mode, List.of(views)),
        originIdle,
        listener);
    topology = AggregateTopology.connectStores(builder.build(props), List.of(views));
    driver = new TopologyTestDriver(topology, props, Instant.ofEpochMilli(BASE));
    input =
        driver.createInputTopic(
            topics.eventsEnriched().name(), new StringSerializer(), new ByteArraySerializer());
    Topic<AggregateKey, WindowAggregate> aggregates = topics.aggregates();
    output =
        driver.createOutputTopic(
            aggregates.name(),
            aggregates.keySerde().deserializer(),
            aggregates.valueSerde().deserializer());
    deadLetters =
        driver.createOutputTopic(
            topics.eventsDlq().name(), new StringDeserializer(), new ByteArrayDeserializer());
  }

  /**
   * The driver commits after every record, and under exactly-once every commit writes
   * checkpoint files with fsync; on tmpfs, where there is one, that costs nothing.
   */
  static Path newStateDir() {
    try {
      Path shm = Path.of("/dev/shm");
      return Files.isDirectory(shm) && Files.isWritable(shm)
          ? Files.createTempDirectory(shm, "aggregate-test")
          : Files.createTempDirectory("aggregate-test");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Properties properties(Path stateDir) {
    Properties props = new Properties();
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "aggregate-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:1234");
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    props.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
    props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
    return props;
  }

  /** Sends an enriched event; the record timestamp is its ingest time. */
  void send(EnrichedEvent enriched) {
    input.pipeInput(
        enriched.event().source(), Json.write(enriched), enriched.event().ingestTime());
  }

  /** Sends an enriched event under {@code key} with {@code headers}, as enrich may key it. */
  void send(String key, EnrichedEvent enriched, Headers headers) {
    input.pipeInput(
        new TestRecord<>(
            key, Json.write(enriched), headers, enriched.event().ingestTime()));
  }

  void sendRaw(String key, byte[] value) {
    input.pipeInput(key, value, BASE);
  }

  static EnrichedEvent event(String type, String source, long time, Double value) {
    return event(type, source, time, value, null);
  }

  /** An event ingested one second after its time, with the given reference data (or none). */
  static EnrichedEvent event(
      String type, String source, long time, Double value, Map<String, Object> reference) {
    return new EnrichedEvent(
        new Event("id-" + source + "-" + time, source, type, time, value, null, time + 1000),
        reference);
  }

  /** All records written to {@code aggregates} so far, in order. */
  List<WindowAggregate> readAggregates() {
    return output.readKeyValuesToList().stream()
        .peek(
            kv -> {
              if (!kv.key.equals(kv.value.key())) {
                throw new AssertionError("key " + kv.key + " does not match " + kv.value.key());
              }
            })
        .map(kv -> kv.value)
        .toList();
  }

  /** The latest aggregate of each window, keyed by {@link AggregateKey}. */
  static Map<AggregateKey, WindowAggregate> latest(List<WindowAggregate> aggregates) {
    return aggregates.stream()
        .collect(Collectors.toMap(WindowAggregate::key, a -> a, (older, newer) -> newer));
  }

  WindowStore<String, WindowAggregate> store(String view) {
    return driver.getWindowStore(new ViewNames(view).store());
  }

  void advanceWallClock(Duration duration) {
    driver.advanceWallClockTime(duration);
  }

  /**
   * Kafka Streams' own count of dropped records: the task-level {@code dropped-records-total}
   * metric. The test driver runs the whole topology as one task, so this covers every view.
   */
  double kafkaDroppedRecords() {
    double total = 0;
    boolean found = false;
    for (Map.Entry<MetricName, ? extends Metric> entry : driver.metrics().entrySet()) {
      MetricName name = entry.getKey();
      if (name.name().equals("dropped-records-total")
          && name.group().equals("stream-task-metrics")
          && name.tags().containsKey("task-id")) {
        total += ((Number) entry.getValue().metricValue()).doubleValue();
        found = true;
      }
    }
    if (!found) {
      throw new AssertionError("no dropped-records-total metric");
    }
    return total;
  }

  @Override
  public void close() {
    driver.close();
    deleteRecursively(stateDir);
  }

  static void deleteRecursively(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
