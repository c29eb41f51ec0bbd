package io.streamdown.query;

import io.streamdown.query.query.StoreLocator;
import io.streamdown.query.streams.QueryStoreListener;
import io.streamdown.query.streams.QueryTopology;
import io.streamdown.schemas.Json;
import io.streamdown.schemas.TopicCatalog;
import io.streamdown.schemas.ViewDefinition;
import io.streamdown.schemas.WindowAggregate;
import io.streamdown.support.DeadLetterListener;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.apache.kafka.streams.state.WindowStore;

/** The query topology in a TopologyTestDriver, with its input topic and stores at hand. */
public final class QueryDriver implements AutoCloseable {

  public static final TopicCatalog TOPICS = TopicCatalog.withDefaultPrefix();

  public final TopologyTestDriver driver;
  public final Topology topology;
  public final TestInputTopic<String, byte[]> aggregates;

  public QueryDriver(
      List<ViewDefinition> views,
      Path stateDir,
      Instant wallClock,
      QueryStoreListener listener,
      DeadLetterListener deadLetters) {
    Properties props = properties(stateDir);
    topology =
        QueryTopology.build(
            views,
            TOPICS,
            listener,
            deadLetters,
            new TopologyConfig(new StreamsConfig(props)));
    driver = new TopologyTestDriver(topology, props, wallClock);
    aggregates =
        driver.createInputTopic(
            TOPICS.aggregates().name(), new StringSerializer(), new ByteArraySerializer());
  }

  public QueryDriver(List<ViewDefinition> views, Path stateDir) {
    this(views, stateDir, Instant.now(), QueryStoreListener.NONE, DeadLetterListener.NONE);
  }

  public static Properties properties(Path stateDir) {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "streamdown-query-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    props.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
    return props;
  }

  /** Pipes an aggregate keyed by its own AggregateKey. */
  public void pipe(WindowAggregate aggregate) {
    aggregates.pipeInput(Aggregates.keyText(aggregate), Json.write(aggregate));
  }

  public void pipeAll(List<WindowAggregate> windows) {
    windows.forEach(this::pipe);
  }

  public WindowStore<String, WindowAggregate> windowStore(String view) {
    return driver.getWindowStore(QueryTopology.windowStoreName(view));
  }

  public KeyValueStore<String, Long> latestWindowStore() {
    return driver.getKeyValueStore(QueryTopology.LATEST_WINDOW_STORE);
  }

  /** The driver's stores as the query facade sees stores. */
  public StoreLocator storeLocator() {
    return new StoreLocator() {
      @Override
      public ReadOnlyWindowStore<String, WindowAggregate> windowStore(String view) {
        return QueryDriver.this.windowStore(view);
      }

      @Override
      public ReadOnlyKeyValueStore<String, Long> latestWindowStore() {
        return QueryDriver.this.latestWindowStore();
      }
    };
  }

  @Override
  public void close() {
    driver.close();
  }
}
