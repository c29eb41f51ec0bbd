package io.streamdown.query.query;

import io.streamdown.query.streams.QueryTopology;
import io.streamdown.schemas.WindowAggregate;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreType;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.stereotype.Component;

/**
 * Stores of the service's own Kafka Streams client (interactive queries). A RUNNING or
 * REBALANCING client is asked (KIP-535: during a rebalance the stores of tasks that stay put
 * keep answering; a store that moved away fails the read with {@link
 * InvalidStateStoreException}, which callers turn into "unavailable" or a try elsewhere). Before
 * that, or while shutting down, there is nothing to ask.
 *
 * <p>Without a partition, only running active tasks answer. {@link #forPartition} narrows the
 * stores to one partition and can admit stale copies (a standby replica or a restoring active
 * task), which routed reads use when the active task cannot answer.
 */
@Component
public class KafkaStreamsStoreLocator implements StoreLocator {

  private final StreamsBuilderFactoryBean factoryBean;
  private final Integer partition;
  private final boolean staleOk;

  @Autowired
  public KafkaStreamsStoreLocator(StreamsBuilderFactoryBean factoryBean) {
    this(factoryBean, null, false);
  }

  private KafkaStreamsStoreLocator(
      StreamsBuilderFactoryBean factoryBean, Integer partition, boolean staleOk) {
    this.factoryBean = factoryBean;
    this.partition = partition;
    this.staleOk = staleOk;
  }

  /** The stores of one partition; with {@code staleOk} also a standby's or restoring task's. */
  public KafkaStreamsStoreLocator forPartition(int partition, boolean staleOk) {
    return new KafkaStreamsStoreLocator(factoryBean, partition, staleOk);
  }

  @Override
  public ReadOnlyWindowStore<String, WindowAggregate> windowStore(String view) {
    return store(QueryTopology.windowStoreName(view), QueryableStoreTypes.windowStore());
  }

  @Override
  public ReadOnlyKeyValueStore<String, Long> latestWindowStore() {
    return store(QueryTopology.LATEST_WINDOW_STORE, QueryableStoreTypes.keyValueStore());
  }

  private <T> T store(String name, QueryableStoreType<T> type) {
    KafkaStreams streams = factoryBean.getKafkaStreams();
    if (streams == null) {
      throw new InvalidStateStoreException("Kafka Streams has not started yet");
    }
    KafkaStreams.State state = streams.state();
    if (state != KafkaStreams.State.RUNNING && state != KafkaStreams.State.REBALANCING) {
      throw new InvalidStateStoreException(
          "Kafka Streams is " + state + ", not RUNNING or REBALANCING");
    }
    StoreQueryParameters<T> parameters = StoreQueryParameters.fromNameAndType(name, type);
    if (partition != null) {
      parameters = parameters.withPartition(partition);
    }
    if (staleOk) {
      parameters = parameters.enableStaleStores();
    }
    return streams.store(parameters);
  }
}
