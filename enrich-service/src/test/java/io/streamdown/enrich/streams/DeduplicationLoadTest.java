package io.streamdown.enrich.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamdown.schemas.Event;
import io.streamdown.schemas.JsonSerde;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.WindowStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * De-duplication over a store that already holds ids when the processor starts, as after a
 * restart: the filters load between records, on wall-clock punctuation, and the answers are exact
 * before and after the load ({@code BucketFiltersTest} covers a load in several pieces). A processor ahead of it in the topology fills the store in its
 * own {@code init} (Kafka Streams initializes a task's processors in topology order), since a test
 * driver starts every run with empty stores.
 */
class DeduplicationLoadTest {

  private static final Duration HORIZON = Duration.ofMinutes(15);
  private static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");
  private static final int STORED = 5_000;

  @TempDir Path stateDir;
  private final RecordingEnrichListener listener = new RecordingEnrichListener();
  private final DedupeFilterMemory memory = new DedupeFilterMemory(8 << 20);
  private TopologyTestDriver driver;
  private TestInputTopic<String, Event> in;
  private TestOutputTopic<String, Event> out;

  @BeforeEach
  void start() {
    StreamsBuilder builder = new StreamsBuilder();
    builder.addStateStore(EnrichTopology.dedupeStore(HORIZON).withLoggingDisabled());
    builder.addStateStore(EnrichTopology.legacyDedupeStore(HORIZON).withLoggingDisabled());
    JsonSerde<Event> events = JsonSerde.of(Event.class);
    builder.stream("in", Consumed.with(Serdes.String(), events))
        .processValues(StoreSeed::new, Named.as("seed"), EnrichTopology.DEDUPE_STORE)
        .processValues(
            () -> EnrichTopology.deduplication(HORIZON, listener, memory),
            Named.as("dedupe"),
            EnrichTopology.DEDUPE_STORE,
            EnrichTopology.LEGACY_DEDUPE_STORE)
        .to("out", Produced.with(Serdes.String(), events));
    Properties config = new Properties();
    config.put(StreamsConfig.APPLICATION_ID_CONFIG, "dedupe-load-test");
    config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    driver = new TopologyTestDriver(builder.build(), config);
    in = driver.createInputTopic("in", new StringSerializer(), events.serializer());
    out = driver.createOutputTopic("out", new StringDeserializer(), events.deserializer());
  }

  @AfterEach
  void stop() {
    driver.close();
  }

  @Test
  void theLoadRunsOnWallClockPunctuationNotInInit() {
    assertThat(memory.usedBytes()).isZero();

    driver.advanceWallClockTime(Deduplication.LOAD_INTERVAL);

    assertThat(memory.usedBytes()).isEqualTo(IdBloomFilter.bytesFor(BucketFilters.MIN_CAPACITY));
    send("seeded-0");
    send("seeded-4999");
    send("new-1");
    send("new-1");
    assertThat(listener.duplicates).isEqualTo(3);
    assertThat(out.readValuesToList()).extracting(Event::eventId).containsExactly("new-1");
  }

  @Test
  void storedIdsAreDroppedWhileTheLoadIsPending() {
    send("seeded-7");
    send("new-1");
    send("new-1");

    assertThat(listener.duplicates).isEqualTo(2);
    assertThat(out.readValuesToList()).extracting(Event::eventId).containsExactly("new-1");
  }

  private void send(String eventId) {
    in.pipeInput(
        "dev-1",
        new Event(eventId, "dev-1", "reading", T0.toEpochMilli(), 1.0, Map.of(), T0.toEpochMilli()),
        T0);
  }

  /** Puts {@value #STORED} ids of source {@code dev-1} into T0's bucket when it starts. */
  private static final class StoreSeed implements FixedKeyProcessor<String, Event, Event> {
    private FixedKeyProcessorContext<String, Event> context;

    @Override
    public void init(FixedKeyProcessorContext<String, Event> context) {
      this.context = context;
      WindowStore<String, Long> store = context.getStateStore(EnrichTopology.DEDUPE_STORE);
      long bucket = Deduplication.bucketOf(T0.toEpochMilli(), HORIZON.toMillis());
      for (int i = 0; i < STORED; i++) {
        store.put(Deduplication.key("dev-1", "seeded-" + i), T0.toEpochMilli(), bucket);
      }
    }

    @Override
    public void process(FixedKeyRecord<String, Event> record) {
      context.forward(record);
    }
  }
}
