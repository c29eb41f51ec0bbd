package io.streamdown.enrich.streams;

import io.streamdown.schemas.Event;
import io.streamdown.schemas.Json;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Drops an event when an event with the same source and id was seen within the horizon, in
 * record-timestamp (ingest) time, either before or after it; otherwise remembers it and passes it
 * on.
 *
 * <p>The store is a window store whose retention is the horizon, so ids expire by dropping whole
 * segments instead of by deletes. Its key is the canonical JSON array {@code [source, eventId]}:
 * an id is unique only within its source, and several sources share a partition (and so this
 * store).
 */
final class Deduplication implements FixedKeyProcessor<String, Event, Event> {

  private final String storeName;
  private final long horizonMillis;
  private final EnrichListener listener;
  private FixedKeyProcessorContext<String, Event> context;
  private WindowStore<String, Long> seen;

  Deduplication(String storeName, Duration horizon, EnrichListener listener) {
    this.storeName = storeName;
    this.horizonMillis = horizon.toMillis();
    this.listener = listener;
  }

  @Override
  public void init(FixedKeyProcessorContext<String, Event> context) {
    this.context = context;
    this.seen = context.getStateStore(storeName);
  }

  @Override
  public void process(FixedKeyRecord<String, Event> record) {
    Event event = record.value();
    String key = key(event.source(), event.eventId());
    long timestamp = record.timestamp();
    long from = Math.max(0L, timestamp - horizonMillis);
    long to =
        timestamp > Long.MAX_VALUE - horizonMillis ? Long.MAX_VALUE : timestamp + horizonMillis;
    try (WindowStoreIterator<Long> earlier = seen.fetch(key, from, to)) {
      if (earlier.hasNext()) {
        listener.duplicate();
        return;
      }
    }
    seen.put(key, timestamp, timestamp);
    context.forward(record);
  }

  /** The store key of an event: its source and id, as a canonical JSON array. */
  static String key(String source, String eventId) {
    return Json.MAPPER.writeValueAsString(List.of(source, eventId));
  }
}
