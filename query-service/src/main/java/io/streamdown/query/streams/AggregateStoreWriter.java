package io.streamdown.query.streams;

import io.streamdown.query.streams.QueryStoreListener.SkipReason;
import io.streamdown.schemas.AggregateKey;
import io.streamdown.schemas.ViewDefinition;
import io.streamdown.schemas.WindowAggregate;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;

/**
 * Writes each aggregate into the window store of its view (key: encoded group, timestamp: window
 * start) and remembers the latest window start per view. A newer aggregate of the same window
 * replaces the older one; a tombstone deletes the window.
 */
final class AggregateStoreWriter implements FixedKeyProcessor<String, IncomingAggregate, Void> {

  private final Map<String, ViewDefinition> views;
  private final QueryStoreListener listener;
  private final Map<String, WindowStore<String, WindowAggregate>> stores = new HashMap<>();
  private KeyValueStore<String, Long> latestWindows;
  private FixedKeyProcessorContext<String, Void> context;

  AggregateStoreWriter(Map<String, ViewDefinition> views, QueryStoreListener listener) {
    this.views = views;
    this.listener = listener;
  }

  @Override
  public void init(FixedKeyProcessorContext<String, Void> context) {
    this.context = context;
    for (String view : views.keySet()) {
      stores.put(view, context.getStateStore(QueryTopology.windowStoreName(view)));
    }
    latestWindows = context.getStateStore(QueryTopology.LATEST_WINDOW_STORE);
  }

  @Override
  public void process(FixedKeyRecord<String, IncomingAggregate> record) {
    IncomingAggregate incoming = record.value();
    AggregateKey key = incoming.key();
    ViewDefinition view = views.get(key.view());
    if (view == null) {
      listener.skipped(key.view(), SkipReason.UNKNOWN_VIEW);
      return;
    }
    if (key.group().size() != view.groupBy().size()) {
      listener.skipped(key.view(), SkipReason.GROUP_MISMATCH);
      return;
    }
    WindowAggregate aggregate = incoming.aggregate();
    String group = key.groupKey().encode();
    stores.get(view.name()).put(group, aggregate, key.windowStart());
    listener.windowChanged(view.name(), group, key.windowStart(), aggregate);
    if (aggregate == null) {
      // The latest start stays: it only bounds where `top` looks, an empty window is fine there.
      return;
    }
    Long latest = latestWindows.get(view.name());
    if (latest == null || key.windowStart() > latest) {
      latestWindows.put(view.name(), key.windowStart());
    }
    if (aggregate.count() > 0 && aggregate.lastIngestTime() != Long.MIN_VALUE) {
      long freshness = context.currentSystemTimeMs() - aggregate.lastIngestTime();
      listener.stored(view.name(), Math.max(0, freshness));
    }
  }
}
