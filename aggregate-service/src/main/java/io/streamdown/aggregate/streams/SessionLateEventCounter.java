package io.streamdown.aggregate.streams;

import io.streamdown.schemas.WindowAggregate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.SessionStore;

/**
 * Counts a session view's late events just before its session aggregation, with Kafka's own rule.
 *
 * <p>Whether a session aggregation drops a record depends on the sessions it would join, not on
 * its timestamp alone. In kafka-streams 4.2 ({@code KStreamSessionWindowAggregate}'s processor)
 * each record raises the observed stream time ({@code observed = max(observed, t)}, in memory per
 * processor instance, starting at -1), computes {@code closeTime = observed - grace - gap} (a
 * session can still grow until {@code gap} after its end), looks up the sessions of its key with
 * {@code findSessions(key, t - gap, t + gap)} and merges their bounds with {@code [t, t]}. The
 * record is dropped exactly when the merged session's end is before {@code closeTime}: an old
 * event still joins a session that is open. This processor reads the
 * aggregation's session store the same way before the aggregation sees the record, so its verdict
 * is Kafka's (an event already at or after {@code closeTime} is never late and needs no lookup).
 */
final class SessionLateEventCounter
    implements FixedKeyProcessor<String, Contribution, Contribution> {

  private final String view;
  private final String storeName;
  private final long gapMs;
  private final long graceMs;
  private final AggregateListener listener;
  private FixedKeyProcessorContext<String, Contribution> context;
  private SessionStore<String, WindowAggregate> sessions;
  private long observedStreamTime = ConsumerRecord.NO_TIMESTAMP;

  SessionLateEventCounter(
      String view, String storeName, long gapMs, long graceMs, AggregateListener listener) {
    this.view = view;
    this.storeName = storeName;
    this.gapMs = gapMs;
    this.graceMs = graceMs;
    this.listener = listener;
  }

  @Override
  public void init(FixedKeyProcessorContext<String, Contribution> context) {
    this.context = context;
    this.sessions = context.getStateStore(storeName);
  }

  @Override
  public void process(FixedKeyRecord<String, Contribution> record) {
    long timestamp = record.timestamp();
    observedStreamTime = Math.max(observedStreamTime, timestamp);
    long closeTime = observedStreamTime - graceMs - gapMs;
    if (timestamp < closeTime && mergedEnd(record.key(), timestamp) < closeTime) {
      listener.late(view);
    }
    context.forward(record);
  }

  private long mergedEnd(String key, long timestamp) {
    long end = timestamp;
    try (KeyValueIterator<Windowed<String>, WindowAggregate> found =
        sessions.findSessions(key, timestamp - gapMs, timestamp + gapMs)) {
      while (found.hasNext()) {
        end = Math.max(end, found.next().key.window().end());
      }
    }
    return end;
  }
}
