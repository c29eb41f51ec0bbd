package io.streamdown.query.query;

import io.streamdown.schemas.WindowAggregate;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;

/**
 * Where the query logic gets its stores from: the running Streams client in the service, a
 * TopologyTestDriver in tests. Every method may throw {@link InvalidStateStoreException} when the
 * stores are not queryable now; so may the stores themselves while being read.
 */
public interface StoreLocator {

  /** The window store of a view ({@code query-<view>-store}) over all local tasks. */
  ReadOnlyWindowStore<String, WindowAggregate> windowStore(String view);

  /** The store of latest window starts per view over all local tasks (one entry per task). */
  ReadOnlyKeyValueStore<String, Long> latestWindowStore();
}
