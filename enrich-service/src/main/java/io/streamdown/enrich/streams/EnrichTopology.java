package io.streamdown.enrich.streams;

import io.streamdown.enrich.config.EnrichSettings;
import io.streamdown.schemas.AggregatePartitioner;
import io.streamdown.schemas.EnrichedEvent;
import io.streamdown.schemas.EnrichedKeying;
import io.streamdown.schemas.Event;
import io.streamdown.schemas.JsonSerde;
import io.streamdown.schemas.Reference;
import io.streamdown.schemas.TopicCatalog;
import io.streamdown.support.DeadLetterListener;
import io.streamdown.support.DeadLetterRouting;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowBytesStoreSupplier;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The enrich stage: {@code events.raw} is parsed, completed, de-duplicated, joined with the
 * {@code reference} table of its source and written to {@code events.enriched}; records that do
 * not parse go to {@code events.dlq}.
 *
 * <h2>Time semantics</h2>
 *
 * An event is enriched with the reference data of its source <em>as it stood when the event was
 * ingested</em>. The join is a stream-table join on Kafka record timestamps, which ingest sets to
 * the ingest time, against a <em>versioned</em> reference table: each event looks up the version
 * that was current at its record timestamp. The event's own {@code time} plays no part, so
 *
 * <ul>
 *   <li>an event ingested after a reference upsert joins it, however far in the past its own
 *       {@code time} lies (a late or back-filled event still gets today's reference data), and
 *   <li>an event ingested before the upsert stays unmatched, even if its own {@code time} is later
 *       than the upsert, and even if the stage happens to process the upsert first.
 * </ul>
 *
 * <p>An event that finds no version waits up to {@link EnrichSettings#referenceWait()} for one
 * ({@link ReferenceJoin}): Kafka Streams orders a task's records by timestamp only among those it
 * has buffered, so an upsert can reach the join after events ingested after it; a reference change
 * lets its source's waiting events go. The latest version of recently joined sources is kept in
 * memory ({@link EnrichSettings#referenceCache()}, {@link LatestReferences}).
 *
 * <p>The latest version of a source never expires, but superseded versions are kept only for {@link
 * EnrichSettings#referenceHistory()} (measured against the newest reference update of the task):
 * an event that needs a version superseded longer ago than that finds no reference data, and a
 * reference update stamped that far in the past is ignored. The output keeps the record timestamp
 * (the ingest time); windows downstream use the event's own time.
 *
 * <h2>De-duplication</h2>
 *
 * An event whose source already had an event with the same id within {@link
 * EnrichSettings#dedupeHorizon()} of ingest time is dropped. {@code events.raw} is keyed by
 * source, so a source's events, and every retry of them, meet in one task: ids are de-duplicated
 * among the events of one source, which is the contract (an id is unique within its source, and
 * a retry always has the same source). Events without an id get one derived from their position
 * in the log (topic, partition, offset), so reprocessing a record gives it the same id.
 *
 * <h2>Partitioning</h2>
 *
 * {@code events.raw} and {@code reference} are both keyed by source and have the same number of
 * partitions, so the join needs no repartitioning. {@code events.enriched} is keyed and
 * partitioned by each event's group in one view of aggregate's ({@link EnrichedKeying}, {@link
 * GroupKeying}), so that aggregate needs no repartition topic for that view; events without a
 * group in it, and every event when {@code streamdown.enriched-key} is {@code source}, keep their
 * source as key. Every record written carries the partition of {@code events.raw} it came from
 * ({@link io.streamdown.schemas.EventOrigin}), by which aggregate measures lateness. Every
 * processor, store and internal topic is named explicitly: their names are part of the deployed
 * state.
 */
public final class EnrichTopology {

  /** The stage named in dead-letter headers and metrics. */
  public static final String STAGE = "enrich";

  /**
   * The window store of recently passed-on {@code [source, eventId]} pairs, in buckets one horizon
   * wide (see {@link Deduplication}).
   */
  public static final String DEDUPE_STORE = "enrich-dedupe-buckets";

  /**
   * The window store in which versions before {@link #DEDUPE_STORE} kept each pair at its own
   * timestamp. Read, never written, for one horizon after an upgrade; an empty one (every
   * installation that started with the buckets) is never read.
   */
  public static final String LEGACY_DEDUPE_STORE = "enrich-dedupe-store";

  /** The versioned key-value store of the reference table, by source. */
  public static final String REFERENCE_STORE = "enrich-reference-store";

  /** The key-value store of events that wait for their source's reference ({@link ReferenceJoin}). */
  public static final String PENDING_STORE = "enrich-reference-waits";

  private EnrichTopology() {}

  /** {@link #DEDUPE_STORE}: buckets one horizon wide, kept for two horizons. */
  static StoreBuilder<WindowStore<String, Long>> dedupeStore(Duration horizon) {
    return Stores.windowStoreBuilder(
        Stores.persistentWindowStore(DEDUPE_STORE, horizon.multipliedBy(2), horizon, false),
        Serdes.String(),
        Serdes.Long());
  }

  /** {@link #LEGACY_DEDUPE_STORE}, declared as the versions that wrote it did. */
  static StoreBuilder<WindowStore<String, Long>> legacyDedupeStore(Duration horizon) {
    return Stores.windowStoreBuilder(legacyDedupeSupplier(horizon), Serdes.String(), Serdes.Long());
  }

  /** The de-duplication step over the two stores above. */
  static Deduplication deduplication(
      Duration horizon, EnrichListener listener, DedupeFilterMemory filterMemory) {
    return new Deduplication(
        DEDUPE_STORE,
        LEGACY_DEDUPE_STORE,
        horizon,
        // The legacy store's segment interval follows from how it was declared.
        Duration.ofMillis(legacyDedupeSupplier(horizon).segmentIntervalMs()),
        listener,
        filterMemory);
  }

  private static WindowBytesStoreSupplier legacyDedupeSupplier(Duration horizon) {
    return Stores.persistentWindowStore(LEGACY_DEDUPE_STORE, horizon, horizon, false);
  }

  /**
   * Builds the topology on its own, for tests and tools. Does no I/O.
   *
   * @param config the Streams configuration; its topology settings (notably {@code
   *     ensure.explicit.internal.resource.naming}) apply while building
   */
  public static Topology build(
      Properties config,
      TopicCatalog topics,
      EnrichSettings settings,
      Optional<EnrichedKeying> keying,
      EnrichListener listener,
      DeadLetterListener deadLetters) {
    StreamsBuilder builder = new StreamsBuilder(new TopologyConfig(new StreamsConfig(config)));
    addTo(
        builder, topics, settings, keying, listener, deadLetters, DedupeFilterMemory.of(settings));
    return builder.build(config);
  }

  /**
   * Adds the enrich stage to {@code builder}, its de-duplication filters within {@code
   * filterMemory} (which the caller can watch).
   *
   * @param keying how {@code events.enriched} is keyed; empty: by source
   * @return the enriched events, keyed by source
   */
  public static KStream<String, EnrichedEvent> addTo(
      StreamsBuilder builder,
      TopicCatalog topics,
      EnrichSettings settings,
      Optional<EnrichedKeying> keying,
      EnrichListener listener,
      DeadLetterListener deadLetters,
      DedupeFilterMemory filterMemory) {
    JsonSerde<Event> eventSerde = JsonSerde.of(Event.class);
    ReferenceValueSerde referenceSerde = new ReferenceValueSerde();

    Duration horizon = settings.dedupeHorizon();
    builder.addStateStore(dedupeStore(horizon));
    builder.addStateStore(legacyDedupeStore(horizon));

    KStream<String, byte[]> raw =
        builder.stream(
            topics.eventsRaw().name(),
            Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("raw-events"));
    KStream<String, Event> events =
        DeadLetterRouting.parseOrDeadLetter(
                raw, "raw-event", STAGE, new EventParser(), topics, deadLetters)
            .processValues(EventCompletion::new, Named.as("raw-event-complete"))
            .processValues(
                () -> deduplication(horizon, listener, filterMemory),
                Named.as("enrich-dedupe"),
                DEDUPE_STORE,
                LEGACY_DEDUPE_STORE);

    KStream<String, byte[]> referenceRecords =
        builder.stream(
            topics.reference().name(),
            Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("reference-records"));
    KTable<String, Reference> references =
        DeadLetterRouting.parseOrDeadLetter(
                referenceRecords, "reference", STAGE, new ReferenceParser(), topics, deadLetters)
            .toTable(
                Named.as("reference-table"),
                Materialized.<String, Reference>as(
                        Stores.persistentVersionedKeyValueStore(
                            REFERENCE_STORE, settings.referenceHistory()))
                    .withKeySerde(Serdes.String())
                    .withValueSerde(referenceSerde));

    // The join: each event with its source's reference version at the event's record timestamp;
    // an event that finds none waits for it, and a reference change lets its source's waiting
    // events go. Both inputs meet in one processor, which keeps the latest versions in memory
    // and must see every change to keep them exact (ReferenceJoin, LatestReferences).
    builder.addStateStore(PendingEvents.store(PENDING_STORE));
    KStream<String, JoinInput> eventInputs =
        events.mapValues(JoinInput::event, Named.as("enrich-join-events"));
    KStream<String, JoinInput> changeInputs =
        references
            .toStream(Named.as("reference-changes"))
            .mapValues(JoinInput::change, Named.as("enrich-join-changes"));
    KStream<String, EnrichedEvent> enriched =
        eventInputs
            .merge(changeInputs, Named.as("enrich-join-inputs"))
            .process(
                () ->
                    new ReferenceJoin(
                        REFERENCE_STORE,
                        PENDING_STORE,
                        settings.referenceWait(),
                        settings.referenceCache(),
                        listener),
                Named.as("enrich-join"),
                REFERENCE_STORE,
                PENDING_STORE)
            .peek(
                (source, event) -> {
                  if (event.matched()) {
                    listener.matched();
                  } else {
                    listener.unmatched();
                  }
                },
                Named.as("enrich-outcome"));
    // The only copy of the raw event's headers on the way out: the steps after it may change
    // them in place (GroupKeying), and nothing else reads the stamped stream.
    KStream<String, EnrichedEvent> stamped =
        enriched.processValues(OriginStamp::new, Named.as("enrich-origin"));
    Produced<String, EnrichedEvent> produced =
        Produced.with(Serdes.String(), JsonSerde.of(EnrichedEvent.class))
            .withName("enriched-events");
    if (keying.isPresent()) {
      EnrichedKeying by = keying.get();
      stamped
          .process(() -> new GroupKeying(by), Named.as("enriched-group-key"))
          .to(
              topics.eventsEnriched().name(),
              produced.withStreamPartitioner(
                  AggregatePartitioner.forGroupKeysOf(by.view().name())));
    } else {
      stamped.to(topics.eventsEnriched().name(), produced);
    }
    return enriched;
  }
}
