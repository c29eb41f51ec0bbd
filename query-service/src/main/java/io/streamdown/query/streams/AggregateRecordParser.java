package io.streamdown.query.streams;

import io.streamdown.schemas.AggregateKey;
import io.streamdown.schemas.Json;
import io.streamdown.schemas.QuantileSketches;
import io.streamdown.schemas.WindowAggregate;
import io.streamdown.support.RecordParser;

/**
 * Parses a record of the {@code aggregates} topic: the key is {@link AggregateKey} JSON text, the
 * value {@link WindowAggregate} JSON or null (tombstone).
 *
 * <p>The sketch is decoded once here: a value whose sketch is corrupt becomes a dead letter now
 * instead of failing every later query that touches its window.
 */
final class AggregateRecordParser implements RecordParser<IncomingAggregate> {

  @Override
  public IncomingAggregate parse(String key, byte[] value) {
    if (key == null) {
      throw new IllegalArgumentException("aggregate record without a key");
    }
    AggregateKey aggregateKey = AggregateKey.decode(key);
    if (aggregateKey == null || aggregateKey.view() == null || aggregateKey.view().isEmpty()) {
      throw new IllegalArgumentException("aggregate key without a view: " + key);
    }
    // AggregateKey itself rejects null group values (List.copyOf).
    if (aggregateKey.group().isEmpty()) {
      throw new IllegalArgumentException("aggregate key without a group: " + key);
    }
    if (value == null) {
      return new IncomingAggregate(aggregateKey, null);
    }
    WindowAggregate aggregate = Json.read(value, WindowAggregate.class);
    if (aggregate == null) {
      throw new IllegalArgumentException("aggregate value is JSON null, not a tombstone");
    }
    if (aggregate.count() < 0 || aggregate.valueCount() < 0) {
      throw new IllegalArgumentException("aggregate with a negative count");
    }
    QuantileSketches.decode(aggregate.sketch());
    return new IncomingAggregate(aggregateKey, aggregate);
  }
}
