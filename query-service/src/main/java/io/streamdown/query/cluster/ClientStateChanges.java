package io.streamdown.query.cluster;

import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.streams.KafkaStreams;
import org.springframework.stereotype.Component;

/**
 * Counts the Streams client's state changes. A lag measured at one count describes the copies
 * this instance held then; once the count moved, a rebalance may have dropped a copy and
 * re-created it empty, even if the set of copies looks the same afterwards.
 */
@Component
public class ClientStateChanges implements KafkaStreams.StateListener {

  private final AtomicLong changes = new AtomicLong();

  @Override
  public void onChange(KafkaStreams.State newState, KafkaStreams.State oldState) {
    changes.incrementAndGet();
  }

  /** How many state changes the client has gone through. */
  public long count() {
    return changes.get();
  }
}
