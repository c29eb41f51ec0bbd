package io.streamdown.query.streams;

import io.streamdown.schemas.StoredAggregateSerde;
import io.streamdown.schemas.TopicCatalog;
import io.streamdown.schemas.ViewDefinition;
import io.streamdown.schemas.WindowAggregate;
import io.streamdown.support.DeadLetterListener;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.Record;
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
 * <p>The view stores write no changelog: {@code aggregates}, compacted to the latest aggregate per
 * window, already is one. {@value #REPLAY_STORE} is attached to it as the changelog of the task
 * and replays it into the view stores wherever Kafka Streams restores ({@link AggregatesReplay}).
 * The latest-window store keeps a changelog of its own (one record per view whenever a newer
 * window starts).
 *
 * <p>No repartitioning happens: the stores are partitioned like {@code aggregates}, where
 * {@link io.streamdown.schemas.AggregatePartitioner} puts every window of a group of a view in
 * one partition. A group's windows are therefore in one task's store, and its owner is found with
 * {@code queryMetadataForKey(store, encodedGroup, AggregatePartitioner.forGroupKeysOf(view))}.
 */
public final class QueryTopology {

  /** The stage named in this service's dead-letter headers and metrics. */
  public static final String STAGE = "query";

  /** View name to the start of the latest window stored for it (max, epoch millis). */
  public static final String LATEST_WINDOW_STORE = "query-latest-window-store";

  /**
   * The store whose changelog is {@code aggregates}: it holds no data; Kafka Streams' lag and
   * restore reports for it are those of every view store of its task.
   */
  public static final String REPLAY_STORE = "query-aggregates-replay";

  static final String SOURCE = "aggregates-source";
  static final String REPLAY = "aggregates-replay";
  static final String WRITER = "aggregates-store";
  static final String DEAD_LETTERS = "aggregates-dead-letters";

  /** The serdes of the view stores, shared by the stream thread's writes and the replay. */
  static final Serde<String> STORE_KEYS = Serdes.String();

  /** Binary, as aggregate stores it: every window a query answers with is read from here. */
  static final Serde<WindowAggregate> STORE_VALUES = new StoredAggregateSerde();

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
    Topology topology = new Topology(config);
    addTo(topology, views, topics, listener, deadLetters);
    return topology;
  }

  /** Adds the topology's nodes and stores to a topology (the one Spring's factory bean builds). */
  public static void addTo(
      Topology topology,
      List<ViewDefinition> views,
      TopicCatalog topics,
      QueryStoreListener listener,
      DeadLetterListener deadLetters) {
    Map<String, ViewDefinition> byName =
        views.stream()
            .collect(
                Collectors.toMap(
                    ViewDefinition::name, Function.identity(), (a, b) -> a, LinkedHashMap::new));
    ReplayTargets targets = new ReplayTargets();
    // The source, with the replay store's (idle) processor as its first child.
    topology.addReadOnlyStateStore(
        new AggregatesReplayBuilder(REPLAY_STORE, byName, targets),
        SOURCE,
        new StringDeserializer(),
        new ByteArrayDeserializer(),
        topics.aggregates().name(),
        REPLAY,
        IdleProcessor::new);
    topology.addProcessor(
        WRITER, () -> new AggregateStoreWriter(byName, listener, deadLetters), SOURCE);
    for (ViewDefinition view : byName.values()) {
      topology.addStateStore(windowStore(view, targets), WRITER);
    }
    topology.addStateStore(latestWindowStore(), WRITER);
    topology.addSink(
        DEAD_LETTERS,
        topics.eventsDlq().name(),
        new StringSerializer(),
        new ByteArraySerializer(),
        WRITER);
  }

  private static StoreBuilder<?> windowStore(ViewDefinition view, ReplayTargets targets) {
    String name = windowStoreName(view.name());
    return Stores.windowStoreBuilder(
            new ReplayTargetStoreSupplier(
                Stores.persistentWindowStore(name, view.retention(), storeWindowSize(view), false),
                view.name(),
                targets),
            STORE_KEYS,
            STORE_VALUES)
        // Updates of a hot window arrive often; the cache folds them before RocksDB.
        .withCachingEnabled()
        .withLoggingDisabled();
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

  /**
   * The replay store's processor. The store holds no data, so there is nothing to update: {@link
   * AggregateStoreWriter}, the source's other child, writes the view stores.
   */
  private static final class IdleProcessor implements Processor<String, byte[], Void, Void> {
    @Override
    public void process(Record<String, byte[]> record) {}
  }

  private static StoreBuilder<?> latestWindowStore() {
    return Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(LATEST_WINDOW_STORE), Serdes.String(), Serdes.Long())
        .withCachingEnabled();
  }
}
