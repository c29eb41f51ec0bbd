package io.streamdown.query.streams;

import io.streamdown.schemas.StoredAggregateSerde;
import io.streamdown.schemas.TopicCatalog;
import io.streamdown.schemas.ViewDefinition;
import io.streamdown.support.DeadLetterListener;
import io.streamdown.support.DeadLetterRouting;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorSupplier;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The query service's topology: reads {@code aggregates}, sends what does not parse to
 * {@code events.dlq}, and writes every aggregate into the window store of its view,
 * {@code query-<view>-store} (key: {@link io.streamdown.schemas.GroupKey#encode() encoded group},
 * timestamp: window start; the window's end is in the stored aggregate, which is how sessions,
 * whose length varies, fit a window store: a group's sessions never share a start, and a
 * superseded session's tombstone on {@code aggregates} carries the start it is stored under, so
 * it deletes exactly that entry), plus the latest window start per view into
 * {@value #LATEST_WINDOW_STORE}.
 *
 * <p>No repartitioning happens: the stores are partitioned like {@code aggregates}, where
 * {@link io.streamdown.schemas.AggregatePartitioner} puts every window of a group of a view in
 * one partition. A group's windows are therefore in one task's store, and its owner is found with
 * {@code queryMetadataForKey(store, encodedGroup, AggregatePartitioner.forGroupKeysOf(view))}.
 */
public final class QueryTopology {

  /** Processor name prefix and stage name of the dead-letter step. */
  public static final String STAGE = "query";

  /** View name to the start of the latest window stored for it (max, epoch millis). */
  public static final String LATEST_WINDOW_STORE = "query-latest-window-store";

  private QueryTopology() {}

  /** The window store of a view. */
  public static String windowStoreName(String view) {
    return "query-" + view + "-store";
  }

  /** Builds the topology on its own, e.g. for a TopologyTestDriver. */
  public static Topology build(
      List<ViewDefinition> views,
      TopicCatalog topics,
      QueryStoreListener listener,
      DeadLetterListener deadLetters,
      TopologyConfig config) {
    StreamsBuilder builder = new StreamsBuilder(config);
    addTo(builder, views, topics, listener, deadLetters);
    return builder.build();
  }

  /** Adds the topology to a builder (the one Spring's factory bean owns). */
  public static KStream<String, Void> addTo(
      StreamsBuilder builder,
      List<ViewDefinition> views,
      TopicCatalog topics,
      QueryStoreListener listener,
      DeadLetterListener deadLetters) {
    Map<String, ViewDefinition> byName =
        views.stream()
            .collect(
                Collectors.toMap(
                    ViewDefinition::name, Function.identity(), (a, b) -> a, LinkedHashMap::new));
    KStream<String, byte[]> input =
        builder.stream(
            topics.aggregates().name(),
            Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("aggregates-source"));
    return DeadLetterRouting.parseOrDeadLetter(
            input, "aggregates", STAGE, new AggregateRecordParser(), topics, deadLetters)
        .processValues(new WriterSupplier(byName, listener), Named.as("aggregates-store"));
  }

  private record WriterSupplier(Map<String, ViewDefinition> views, QueryStoreListener listener)
      implements FixedKeyProcessorSupplier<String, IncomingAggregate, Void> {

    @Override
    public FixedKeyProcessor<String, IncomingAggregate, Void> get() {
      return new AggregateStoreWriter(views, listener);
    }

    @Override
    public Set<StoreBuilder<?>> stores() {
      return Stream.concat(
              views.values().stream().map(QueryTopology::windowStore),
              Stream.of(latestWindowStore()))
          .collect(Collectors.toSet());
    }
  }

  private static StoreBuilder<?> windowStore(ViewDefinition view) {
    return Stores.windowStoreBuilder(
            Stores.persistentWindowStore(
                windowStoreName(view.name()), view.retention(), storeWindowSize(view), false),
            Serdes.String(),
            // Binary, as aggregate stores it: every window a query answers with is read from here.
            new StoredAggregateSerde())
        // Updates of a hot window arrive often; the cache folds them before the changelog.
        .withCachingEnabled();
  }

  /**
   * The window size the store is told. Sessions (and, for the exclusive end, sliding windows)
   * have no fixed size the store could derive an end from; every reader takes the end from the
   * stored aggregate instead, so this only has to be a valid positive size.
   */
  private static Duration storeWindowSize(ViewDefinition view) {
    return switch (view.window().type()) {
      case TUMBLING, HOPPING -> view.window().size();
      case SLIDING -> view.window().size().plusMillis(1);
      case SESSION -> view.window().gap();
    };
  }

  private static StoreBuilder<?> latestWindowStore() {
    return Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(LATEST_WINDOW_STORE), Serdes.String(), Serdes.Long())
        .withCachingEnabled();
  }
}
