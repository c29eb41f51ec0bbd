package io.streamdown.query.streams;

import io.streamdown.schemas.ViewDefinition;
import io.streamdown.schemas.WindowAggregate;
import io.streamdown.support.DeadLetterHeaders;
import io.streamdown.support.DeadLetterListener;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;

/**
 * Parses each record of {@code aggregates} and writes the aggregate into the window store of its
 * view (key: encoded group, timestamp: window start), remembering the latest window start per
 * view. A newer aggregate of the same window replaces the older one; a tombstone deletes the
 * window. A record that does not parse is forwarded, with its original key and bytes and the
 * dead-letter headers, to the dead-letter sink, in the same transaction as the rest.
 */
final class AggregateStoreWriter implements Processor<String, byte[], String, byte[]> {

  private final Map<String, ViewDefinition> views;
  private final QueryStoreListener listener;
  private final DeadLetterListener deadLetters;
  private final AggregateRecordParser parser = new AggregateRecordParser();
  private final Map<String, WindowStore<String, WindowAggregate>> stores = new HashMap<>();
  private KeyValueStore<String, Long> latestWindows;
  private ProcessorContext<String, byte[]> context;

  AggregateStoreWriter(
      Map<String, ViewDefinition> views,
      QueryStoreListener listener,
      DeadLetterListener deadLetters) {
    this.views = views;
    this.listener = listener;
    this.deadLetters = deadLetters;
  }

  @Override
  public void init(ProcessorContext<String, byte[]> context) {
    this.context = context;
    for (String view : views.keySet()) {
      stores.put(view, context.getStateStore(QueryTopology.windowStoreName(view)));
    }
    latestWindows = context.getStateStore(QueryTopology.LATEST_WINDOW_STORE);
  }

  @Override
  public void process(Record<String, byte[]> record) {
    IncomingAggregate incoming;
    try {
      incoming = parser.parse(record.key(), record.value());
    } catch (Exception e) {
      context.forward(
          record.withHeaders(
              DeadLetterHeaders.of(
                  record.headers(), QueryTopology.STAGE, e, context.recordMetadata())));
      deadLetters.deadLettered(QueryTopology.STAGE, e.getClass().getName());
      return;
    }
    StoreSlot slot = StoreSlot.of(incoming.key(), views);
    if (slot.skipped() != null) {
      listener.skipped(incoming.key().view(), slot.skipped());
      return;
    }
    String view = slot.view().name();
    WindowAggregate aggregate = incoming.aggregate();
    stores.get(view).put(slot.group(), aggregate, slot.windowStart());
    listener.windowChanged(view, slot.group(), slot.windowStart(), aggregate);
    if (aggregate == null) {
      // The latest start stays: it only bounds where `top` looks, an empty window is fine there.
      return;
    }
    Long latest = latestWindows.get(view);
    if (latest == null || slot.windowStart() > latest) {
      latestWindows.put(view, slot.windowStart());
    }
    if (aggregate.count() > 0 && aggregate.lastIngestTime() != Long.MIN_VALUE) {
      long freshness = context.currentSystemTimeMs() - aggregate.lastIngestTime();
      listener.stored(view, Math.max(0, freshness));
    }
  }
}
