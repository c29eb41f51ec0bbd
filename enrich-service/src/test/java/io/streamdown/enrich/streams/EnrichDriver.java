package io.streamdown.enrich.streams;

import io.streamdown.enrich.config.EnrichSettings;
import io.streamdown.schemas.EnrichedEvent;
import io.streamdown.schemas.EnrichedKeying;
import io.streamdown.schemas.Event;
import io.streamdown.schemas.Json;
import io.streamdown.schemas.JsonSerde;
import io.streamdown.schemas.Reference;
import io.streamdown.schemas.TopicCatalog;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.VersionedKeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.test.TestRecord;

/**
 * The enrich topology in a {@link TopologyTestDriver}, with byte-level input topics (so tests can
 * write anything a foreign producer could) and typed output topics.
 */
final class EnrichDriver implements AutoCloseable {

  static final TopicCatalog TOPICS = TopicCatalog.withDefaultPrefix();

  final RecordingEnrichListener listener = new RecordingEnrichListener();
  final RecordingDeadLetterListener deadLetters = new RecordingDeadLetterListener();
  final TopologyTestDriver driver;
  final TestInputTopic<String, byte[]> raw;
  final TestInputTopic<String, byte[]> reference;
  final TestOutputTopic<String, EnrichedEvent> enriched;
  final TestOutputTopic<byte[], byte[]> dlq;
  private final Duration referenceWait;

  EnrichDriver(Path stateDir) {
    this(stateDir, EnrichSettings.defaults());
  }

  EnrichDriver(Path stateDir, EnrichSettings settings) {
    this(stateDir, settings, Optional.empty());
  }

  /** With {@code events.enriched} keyed as {@code keying} says (empty: by source). */
  EnrichDriver(Path stateDir, EnrichSettings settings, Optional<EnrichedKeying> keying) {
    Properties config = config(stateDir);
    referenceWait = settings.referenceWait();
    Topology topology =
        EnrichTopology.build(config, TOPICS, settings, keying, listener, deadLetters);
    driver = new TopologyTestDriver(topology, config);
    raw =
        driver.createInputTopic(
            TOPICS.eventsRaw().name(), new StringSerializer(), new ByteArraySerializer());
    reference =
        driver.createInputTopic(
            TOPICS.reference().name(), new StringSerializer(), new ByteArraySerializer());
    enriched =
        driver.createOutputTopic(
            TOPICS.eventsEnriched().name(),
            new StringDeserializer(),
            JsonSerde.of(EnrichedEvent.class).deserializer());
    dlq =
        driver.createOutputTopic(
            TOPICS.eventsDlq().name(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  /** The configuration the service runs with, as far as it matters for the topology. */
  static Properties config(Path stateDir) {
    Properties config = new Properties();
    config.put(StreamsConfig.APPLICATION_ID_CONFIG, "enrich-test");
    config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9999");
    config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    config.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
    config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    return config;
  }

  /** An event as ingest writes it: every field set. */
  static Event event(String eventId, String source, Instant time, Instant ingestTime) {
    return new Event(
        eventId,
        source,
        "reading",
        time.toEpochMilli(),
        1.5,
        Map.of("unit", "C"),
        ingestTime.toEpochMilli());
  }

  /** Writes an event the way ingest does: keyed by source, record timestamp = ingest time. */
  void ingest(Event event) {
    raw.pipeInput(event.source(), Json.write(event), Instant.ofEpochMilli(event.ingestTime()));
  }

  void upsert(String source, Map<String, Object> attributes, Instant at) {
    reference.pipeInput(
        source, Json.write(new Reference(source, attributes, at.toEpochMilli())), at);
  }

  void delete(String source, Instant at) {
    reference.pipeInput(source, null, at);
  }

  /**
   * What the stage wrote, once every event that found no reference data has waited its time (as
   * the stage's wall clock passes it).
   */
  List<TestRecord<String, EnrichedEvent>> enrichedRecords() {
    releaseWaiting();
    return enriched.readRecordsToList();
  }

  /** As {@link #enrichedRecords()}, the values only. */
  List<EnrichedEvent> enrichedEvents() {
    releaseWaiting();
    return enriched.readValuesToList();
  }

  /** What the stage wrote so far, without moving its wall clock. */
  List<TestRecord<String, EnrichedEvent>> enrichedSoFar() {
    return enriched.readRecordsToList();
  }

  /** Moves the wall clock past the reference wait, so waiting events go on. */
  void releaseWaiting() {
    driver.advanceWallClockTime(referenceWait.plusMillis(1));
  }

  WindowStore<String, Long> dedupeStore() {
    return driver.getWindowStore(EnrichTopology.DEDUPE_STORE);
  }

  WindowStore<String, Long> legacyDedupeStore() {
    return driver.getWindowStore(EnrichTopology.LEGACY_DEDUPE_STORE);
  }

  VersionedKeyValueStore<String, Reference> referenceStore() {
    return driver.getVersionedKeyValueStore(EnrichTopology.REFERENCE_STORE);
  }

  @Override
  public void close() {
    driver.close();
  }
}
