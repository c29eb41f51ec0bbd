package io.streamdown.query.streams;

import io.streamdown.schemas.AggregateKey;
import io.streamdown.schemas.WindowAggregate;
import java.util.Objects;

/**
 * One parsed record of the {@code aggregates} topic.
 *
 * @param key which window of which group of which view
 * @param aggregate the window's latest aggregate, or null for a tombstone (the window is gone)
 */
public record IncomingAggregate(AggregateKey key, WindowAggregate aggregate) {

  public IncomingAggregate {
    Objects.requireNonNull(key, "key");
  }

  public boolean tombstone() {
    return aggregate == null;
  }
}
