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
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.stereotype.Component;

/**
 * Stores of the service's own Kafka Streams client (interactive queries, active tasks only). Only
 * a RUNNING client is asked: before that its stores are missing or still restoring, and while
 * rebalancing they may move away mid-read.
 */
@Component
public class KafkaStreamsStoreLocator implements StoreLocator {

  private final StreamsBuilderFactoryBean factoryBean;

  public KafkaStreamsStoreLocator(StreamsBuilderFactoryBean factoryBean) {
    this.factoryBean = factoryBean;
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
    if (state != KafkaStreams.State.RUNNING) {
      throw new InvalidStateStoreException("Kafka Streams is " + state + ", not RUNNING");
    }
    return streams.store(StoreQueryParameters.fromNameAndType(name, type));
  }
}
