package io.streamdown.aggregate.streams;

import io.streamdown.schemas.AggregateKey;
import io.streamdown.schemas.AggregatePartitioner;
import io.streamdown.schemas.EmitMode;
import io.streamdown.schemas.EnrichedEvent;
import io.streamdown.schemas.GroupKey;
import io.streamdown.schemas.JsonSerde;
import io.streamdown.schemas.Topic;
import io.streamdown.schemas.TopicCatalog;
import io.streamdown.schemas.ViewDefinition;
import io.streamdown.schemas.WindowAggregate;
import io.streamdown.support.DeadLetterRouting;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.EmitStrategy;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
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
 *       is skipped by that view and reported as unkeyed), the stream is repartitioned by group,
 *       late events are counted ({@link LateEventCounter}), and a windowed aggregation with the
 *       view's grace and emit mode maintains the view's window store. Every emitted aggregate is
 *       written to {@code aggregates} keyed by {@link AggregateKey} and partitioned by view and
 *       group ({@link AggregatePartitioner}).
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

  private static final Serde<EnrichedEvent> ENRICHED = JsonSerde.of(EnrichedEvent.class);
  private static final Serde<WindowAggregate> AGGREGATE = JsonSerde.of(WindowAggregate.class);

  private AggregateTopology() {}

  /** The topology of the given views. */
  public static Topology build(
      TopicCatalog topics, List<ViewDefinition> views, AggregateListener listener) {
    StreamsBuilder builder = new StreamsBuilder();
    addTo(builder, topics, views, listener);
    return builder.build();
  }

  /**
   * Adds the topology to {@code builder}.
   *
   * @return the parsed enriched events, stamped with event time, that every view reads
   */
  public static KStream<String, EnrichedEvent> addTo(
      StreamsBuilder builder,
      TopicCatalog topics,
      List<ViewDefinition> views,
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
      addView(events, view, topics.aggregates(), listener);
    }
    return events;
  }

  private static void addView(
      KStream<String, EnrichedEvent> events,
      ViewDefinition view,
      Topic<AggregateKey, WindowAggregate> aggregates,
      AggregateListener listener) {
    String name = view.name();
    ViewNames names = new ViewNames(name);
    ViewGrouping grouping = new ViewGrouping(view);
    LateEventRule lateRule = LateEventRule.of(view);

    var windowed =
        events
            .<String, EnrichedEvent>flatMap(
                (source, enriched) -> {
                  GroupKey key = grouping.keyOf(enriched);
                  if (key == null) {
                    listener.unkeyed(name);
                    return List.of();
                  }
                  return List.of(KeyValue.pair(key.encode(), enriched));
                },
                Named.as(names.groupKey()))
            // Partitioned like the aggregates topic, so a task's groups are the groups of one
            // aggregates partition when both have the same partition count.
            .repartition(
                Repartitioned.<String, EnrichedEvent>as(names.repartition())
                    .withKeySerde(Serdes.String())
                    .withValueSerde(ENRICHED)
                    .withStreamPartitioner(AggregatePartitioner.forGroupKeysOf(name)))
            .processValues(
                () -> new LateEventCounter(name, lateRule, listener), Named.as(names.lateCheck()))
            .groupByKey(
                Grouped.<String, EnrichedEvent>as(names.grouped())
                    .withKeySerde(Serdes.String())
                    .withValueSerde(ENRICHED))
            .windowedBy(ViewWindows.of(view))
            .emitStrategy(
                view.emit() == EmitMode.FINAL
                    ? EmitStrategy.onWindowClose()
                    : EmitStrategy.onWindowUpdate());

    windowed
        .aggregate(
            () -> WindowAggregates.initial(name),
            (groupKey, enriched, aggregate) -> {
              WindowAggregate base =
                  aggregate.count() == 0
                      ? WindowAggregates.locate(aggregate, name, grouping.group(groupKey), 0L, 0L)
                      : aggregate;
              return base.plus(enriched.event());
            },
            Named.as(names.aggregate()),
            Materialized.<String, WindowAggregate, WindowStore<Bytes, byte[]>>as(names.store())
                .withKeySerde(Serdes.String())
                .withValueSerde(AGGREGATE)
                .withRetention(view.retention()))
        // A windowed aggregation never deletes, so the values below are never null.
        .toStream(Named.as(names.changes()))
        .map(
            (window, aggregate) -> {
              Map<String, String> group = grouping.group(window.key());
              WindowAggregate located =
                  WindowAggregates.locate(
                      aggregate, name, group, window.window().start(), window.window().end());
              return KeyValue.pair(located.key(), located);
            },
            Named.as(names.output()))
        .peek((key, aggregate) -> listener.emitted(name, aggregate), Named.as(names.emitted()))
        .to(
            aggregates.name(),
            Produced.with(aggregates.keySerde(), aggregates.valueSerde())
                .withStreamPartitioner(AggregatePartitioner.<WindowAggregate>forAggregateKeys())
                .withName(names.sink()));
  }
}
