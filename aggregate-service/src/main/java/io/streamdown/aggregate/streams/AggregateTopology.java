package io.streamdown.aggregate.streams;

import io.streamdown.schemas.AggregateKey;
import io.streamdown.schemas.AggregatePartitioner;
import io.streamdown.schemas.EmitMode;
import io.streamdown.schemas.EnrichedEvent;
import io.streamdown.schemas.EnrichedKeying;
import io.streamdown.schemas.GroupKey;
import io.streamdown.schemas.StoredAggregateSerde;
import io.streamdown.schemas.Topic;
import io.streamdown.schemas.TopicCatalog;
import io.streamdown.schemas.ViewDefinition;
import io.streamdown.schemas.WindowAggregate;
import io.streamdown.schemas.WindowType;
import io.streamdown.support.DeadLetterRouting;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.EmitStrategy;
import org.apache.kafka.streams.kstream.Aggregator;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KGroupedStream;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.SessionStore;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The aggregate topology: enriched events in, one windowed aggregate per view, group and window
 * out on {@code aggregates}.
 *
 * <ol>
 *   <li>{@code events.enriched} values are parsed ({@link EnrichedEventParser}); what does not
 *       parse goes to {@code events.dlq} with stage {@code aggregate}.
 *   <li>Each record is re-stamped with its event's own time, since windows use event time.
 *   <li>Per view: the group key is computed from the view's group-by fields (an event missing one
 *       is skipped by that view and reported as unkeyed), the stream is repartitioned by group
 *       carrying only each event's {@link Contribution} (times and value, a few bytes), late
 *       events are counted ({@link LateEventCounter}, {@link SessionLateEventCounter}), and
 *       a windowed aggregation (tumbling, hopping, sliding or session windows) with the view's
 *       grace and emit mode maintains the view's store. Every emitted aggregate is written to
 *       {@code aggregates} keyed by {@link AggregateKey} and partitioned by view and group
 *       ({@link AggregatePartitioner}). When sessions merge (or a session grows), each session
 *       that no longer exists gets a tombstone under its own key, before the session replacing
 *       it, so a reader that applies the topic in order never holds a superseded session.
 * </ol>
 *
 * <p>Every processor, store and internal topic is named after the view ({@link ViewNames}), as
 * {@code ensure.explicit.internal.resource.naming} requires. Building does no I/O.
 */
public final class AggregateTopology {

  /** Stage name in the dead-letter headers of this topology. */
  public static final String STAGE = "aggregate";

  /** Prefix of the names of the parsing step's processors. */
  public static final String PARSE_NAME = "enriched-event";

  private static final Serde<Contribution> CONTRIBUTION = new ContributionSerde();
  /** The stores' (and changelogs') form of an aggregate; {@code aggregates} carries JSON. */
  private static final Serde<WindowAggregate> AGGREGATE = new StoredAggregateSerde();

  /**
   * How long a partition of {@code events.raw} may send nothing before a tumbling view stops
   * measuring its grace against that partition ({@link LateEventFilter}), unless configured.
   */
  public static final Duration DEFAULT_ORIGIN_IDLE = Duration.ofMinutes(5);

  private AggregateTopology() {}

  /** The topology of the given views, with {@link #DEFAULT_ORIGIN_IDLE}. */
  public static Topology build(
      TopicCatalog topics,
      List<ViewDefinition> views,
      Optional<EnrichedKeying> keying,
      AggregateListener listener) {
    StreamsBuilder builder = new StreamsBuilder();
    addTo(builder, topics, views, keying, DEFAULT_ORIGIN_IDLE, listener);
    return connectStores(builder.build(), views);
  }

  /**
   * Connects each session view's late-event counter to the view's session store. It must run on
   * the built topology (before a {@code KafkaStreams} is created from it): the DSL refuses to
   * connect a processor to a store that a later operator adds, and the counter has to sit before
   * the aggregation that owns the store.
   *
   * @return {@code topology}
   */
  public static Topology connectStores(Topology topology, List<ViewDefinition> views) {
    for (ViewDefinition view : views) {
      if (view.window().type() == WindowType.SESSION) {
        ViewNames names = new ViewNames(view.name());
        topology.connectProcessorAndStateStores(names.lateCheck(), names.store());
      }
    }
    return topology;
  }

  /**
   * Adds the topology to {@code builder}. With a session view, the topology built from the
   * builder must go through {@link #connectStores} before it runs.
   *
   * @param originIdle how long an origin may send nothing before a tumbling view stops measuring
   *     its grace against it ({@link LateEventFilter})
   * @return the parsed enriched events, stamped with event time, that every view reads
   */
  public static KStream<String, EnrichedEvent> addTo(
      StreamsBuilder builder,
      TopicCatalog topics,
      List<ViewDefinition> views,
      Optional<EnrichedKeying> keying,
      Duration originIdle,
      AggregateListener listener) {
    KStream<String, byte[]> input =
        builder.stream(
            topics.eventsEnriched().name(),
            Consumed.with(Serdes.String(), Serdes.ByteArray()).withName(PARSE_NAME + "-source"));
    KStream<String, EnrichedEvent> events =
        DeadLetterRouting.parseOrDeadLetter(
                input, PARSE_NAME, STAGE, new EnrichedEventParser(), topics, listener)
            .processValues(EventTimeStamper::new, Named.as(PARSE_NAME + "-event-time"));
    for (ViewDefinition view : views) {
      addView(events, view, keying, topics.aggregates(), originIdle, listener);
    }
    return events;
  }

  private static void addView(
      KStream<String, EnrichedEvent> events,
      ViewDefinition view,
      Optional<EnrichedKeying> keying,
      Topic<AggregateKey, WindowAggregate> aggregates,
      Duration originIdle,
      AggregateListener listener) {
    String name = view.name();
    ViewNames names = new ViewNames(name);
    ViewGrouping grouping = new ViewGrouping(view);
    WindowType type = view.window().type();

    // Only a view whose late check tells origins apart needs to know where it regrouped from.
    boolean noteOrigin = ViewWindows.graceByOrigin(view);
    KStream<String, Contribution> byGroup =
        keying.isPresent() && keying.get().view().name().equals(name)
            ? keyedByEnrich(events, keying.get(), names, noteOrigin, listener)
            : regrouped(events, grouping, names, noteOrigin, listener);
    KStream<String, Contribution> checked =
        type == WindowType.SESSION
            // The session counter reads the aggregation's store: lateness depends on sessions.
            // The DSL adds that store after this processor, so connectStores() connects them.
            ? byGroup.processValues(
                () ->
                    new SessionLateEventCounter(
                        name,
                        names.store(),
                        view.window().gap().toMillis(),
                        view.grace().toMillis(),
                        listener),
                Named.as(names.lateCheck()))
            : ViewWindows.graceByOrigin(view)
                ? byGroup.processValues(
                    () ->
                        new LateEventFilter(
                            name,
                            LateEventRule.of(view),
                            LateEventRule.ofStore(view),
                            originIdle,
                            listener),
                    Named.as(names.lateCheck()))
                : byGroup.processValues(
                    () -> new LateEventCounter(name, LateEventRule.of(view), listener),
                    Named.as(names.lateCheck()));
    KGroupedStream<String, Contribution> grouped =
        checked.groupByKey(
            Grouped.<String, Contribution>as(names.grouped())
                .withKeySerde(Serdes.String())
                .withValueSerde(CONTRIBUTION));
    EmitStrategy emit =
        view.emit() == EmitMode.FINAL
            ? EmitStrategy.onWindowClose()
            : EmitStrategy.onWindowUpdate();
    Aggregator<String, Contribution, WindowAggregate> add =
        (groupKey, contribution, aggregate) -> {
          WindowAggregate base =
              aggregate.count() == 0
                  ? WindowAggregates.locate(aggregate, name, grouping.group(groupKey), 0L, 0L)
                  : aggregate;
          return base.plus(contribution.time(), contribution.ingestTime(), contribution.value());
        };

    KTable<Windowed<String>, WindowAggregate> table =
        switch (type) {
          case TUMBLING, HOPPING ->
              grouped
                  .windowedBy(ViewWindows.of(view))
                  .emitStrategy(emit)
                  .aggregate(
                      () -> WindowAggregates.initial(name), add, Named.as(names.aggregate()),
                      windowStore(view, names));
          case SLIDING ->
              grouped
                  .windowedBy(ViewWindows.sliding(view))
                  .emitStrategy(emit)
                  .aggregate(
                      () -> WindowAggregates.initial(name), add, Named.as(names.aggregate()),
                      windowStore(view, names));
          case SESSION ->
              grouped
                  .windowedBy(ViewWindows.session(view))
                  .emitStrategy(emit)
                  .aggregate(
                      () -> WindowAggregates.initial(name),
                      add,
                      (groupKey, left, right) -> WindowAggregates.merge(left, right),
                      Named.as(names.aggregate()),
                      Materialized.<String, WindowAggregate, SessionStore<Bytes, byte[]>>as(
                              names.store())
                          .withKeySerde(Serdes.String())
                          .withValueSerde(AGGREGATE)
                          .withRetention(view.retention()));
        };

    table
        // A time-windowed aggregation never deletes. A session aggregation forwards null for
        // every session a merge or an extension superseded (updates mode only: in final mode a
        // session is emitted once, closed, and can no longer merge).
        .toStream(Named.as(names.changes()))
        .map(
            (window, aggregate) -> {
              long start = window.window().start();
              if (aggregate == null) {
                AggregateKey gone =
                    new AggregateKey(name, grouping.groupKey(window.key()).values(), start);
                return KeyValue.<AggregateKey, WindowAggregate>pair(gone, null);
              }
              WindowAggregate located =
                  WindowAggregates.locate(
                      aggregate,
                      name,
                      grouping.group(window.key()),
                      start,
                      reportedEnd(type, window.window().end()));
              return KeyValue.pair(located.key(), located);
            },
            Named.as(names.output()))
        .peek(
            (key, aggregate) -> {
              if (aggregate == null) {
                listener.retracted(name);
              } else {
                listener.emitted(name, aggregate);
              }
            },
            Named.as(names.emitted()))
        .to(
            aggregates.name(),
            Produced.with(aggregates.keySerde(), aggregates.valueSerde())
                .withStreamPartitioner(AggregatePartitioner.<WindowAggregate>forAggregateKeys())
                .withName(names.sink()));
  }

  /**
   * A view's events keyed and partitioned by group: the group key is computed from the view's
   * group-by fields (an event missing one is skipped and reported as unkeyed), and the stream is
   * repartitioned by group, carrying only each event's {@link Contribution}.
   */
  private static KStream<String, Contribution> regrouped(
      KStream<String, EnrichedEvent> events,
      ViewGrouping grouping,
      ViewNames names,
      boolean noteOrigin,
      AggregateListener listener) {
    return byGroupTopic(
        events.flatMap(
            (source, enriched) -> {
              GroupKey key = grouping.keyOf(enriched);
              return underGroup(key == null ? null : key.encode(), enriched, names, listener);
            },
            Named.as(names.groupKey())),
        names,
        noteOrigin);
  }

  /** The event's contribution under its group; nothing, counted as unkeyed, without a group. */
  private static List<KeyValue<String, Contribution>> underGroup(
      String group, EnrichedEvent enriched, ViewNames names, AggregateListener listener) {
    if (group == null) {
      listener.unkeyed(names.view());
      return List.of();
    }
    return List.of(KeyValue.pair(group, Contribution.of(enriched.event())));
  }

  /**
   * Through the view's repartition topic, partitioned by group; with {@code noteOrigin} each record
   * notes the partition it was regrouped from ({@link RegroupOrigin}).
   */
  private static KStream<String, Contribution> byGroupTopic(
      KStream<String, Contribution> byGroup, ViewNames names, boolean noteOrigin) {
    KStream<String, Contribution> noted =
        noteOrigin
            ? byGroup.processValues(RegroupOrigin::new, Named.as(names.regroupOrigin()))
            : byGroup;
    // Partitioned like the aggregates topic, so a task's groups are the groups of one
    // aggregates partition when both have the same partition count.
    return noted.repartition(
            Repartitioned.<String, Contribution>as(names.repartition())
                .withKeySerde(Serdes.String())
                .withValueSerde(CONTRIBUTION)
                .withStreamPartitioner(AggregatePartitioner.forGroupKeysOf(names.view())));
  }

  /**
   * The events of the view that keys {@code events.enriched}: a record that enrich keyed by its
   * group in this view is already in the partition the repartition topic would put it in, so it
   * is aggregated where it is; any other record (keyed by source, by another definition of the
   * view, or without a group) takes the repartition topic as in {@link #regrouped}. The two meet
   * before the late check, so the store, its changelog and everything after stay as for any other
   * view; the store's task now also reads {@code events.enriched}. Both paths partition a group
   * with the same function over the same partition count (the repartition topic takes {@code
   * events.enriched}'s), so a group's events meet in one task whichever path they take.
   */
  private static KStream<String, Contribution> keyedByEnrich(
      KStream<String, EnrichedEvent> events,
      EnrichedKeying keying,
      ViewNames names,
      boolean noteOrigin,
      AggregateListener listener) {
    Map<String, KStream<String, Routed>> routes =
        events
            .processValues(() -> new KeyCheck(keying), Named.as(names.keyCheck()))
            .split(Named.as(names.route()))
            .branch((key, routed) -> routed.keyed(), Branched.as(ViewNames.KEYED))
            .defaultBranch(Branched.as(ViewNames.OTHER));
    KStream<String, Contribution> keyed =
        routes
            .get(names.route() + ViewNames.KEYED)
            .mapValues(routed -> Contribution.of(routed.event().event()), Named.as(names.keyed()));
    KStream<String, Contribution> other =
        byGroupTopic(
            routes
                .get(names.route() + ViewNames.OTHER)
                .flatMap(
                    (key, routed) -> {
                      // An event without a group in the view is skipped, not regrouped.
                      if (routed.group() != null) {
                        listener.regrouped(names.view());
                      }
                      return underGroup(routed.group(), routed.event(), names, listener);
                    },
                    Named.as(names.groupKey())),
            names,
            noteOrigin);
    return keyed.merge(other, Named.as(names.merged()));
  }

  /**
   * An event, its encoded group key in the view (null without one) and whether enrich keyed it
   * by that group.
   */
  private record Routed(EnrichedEvent event, String group, boolean keyed) {}

  /** Tells records keyed and partitioned by enrich for the view from all others. */
  private static final class KeyCheck
      implements FixedKeyProcessor<String, EnrichedEvent, Routed> {

    private final EnrichedKeying keying;
    private FixedKeyProcessorContext<String, Routed> context;

    KeyCheck(EnrichedKeying keying) {
      this.keying = keying;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, Routed> context) {
      this.context = context;
    }

    @Override
    public void process(FixedKeyRecord<String, EnrichedEvent> record) {
      // The group is computed once, for either path. The header says enrich partitioned the
      // record by this view's groups; the key must also be that group, or the two services
      // disagree on the view's fields.
      String group = keying.groupKeyOf(record.value());
      boolean keyed =
          group != null && keying.marked(record.headers()) && group.equals(record.key());
      context.forward(record.withValue(new Routed(record.value(), group, keyed)));
    }
  }

  private static Materialized<String, WindowAggregate, WindowStore<Bytes, byte[]>> windowStore(
      ViewDefinition view, ViewNames names) {
    return Materialized.<String, WindowAggregate, WindowStore<Bytes, byte[]>>as(names.store())
        .withKeySerde(Serdes.String())
        .withValueSerde(AGGREGATE)
        .withRetention(view.retention());
  }

  /**
   * The end written on {@code aggregates}. Tumbling and hopping ends are exclusive already. A
   * sliding window's end is inclusive in Kafka Streams, so it gains a millisecond to be exclusive
   * like theirs. A session's end is its last event's time and stays as it is.
   */
  static long reportedEnd(WindowType type, long kafkaEnd) {
    return type == WindowType.SLIDING ? kafkaEnd + 1 : kafkaEnd;
  }
}
