package io.streamdown.aggregate.streams;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * Counts a view's late events just before its window aggregation. It sits in the same task and
 * sees the same records in the same order as the aggregation, and tracks the observed stream time
 * the same way (in memory, per processor instance, so both start afresh when a task is
 * reassigned), so its verdict is Kafka's: see {@link LateEventRule}.
 *
 * <p>Every record is forwarded, late or not: the aggregation drops late ones itself (and still
 * adds a partially late hopping record to its open windows), and its own {@code dropped-records}
 * metric stays comparable with this count.
 */
final class LateEventCounter implements FixedKeyProcessor<String, Contribution, Contribution> {

  private final String view;
  private final LateEventRule rule;
  private final AggregateListener listener;
  private FixedKeyProcessorContext<String, Contribution> context;
  private long observedStreamTime = ConsumerRecord.NO_TIMESTAMP;

  LateEventCounter(String view, LateEventRule rule, AggregateListener listener) {
    this.view = view;
    this.rule = rule;
    this.listener = listener;
  }

  @Override
  public void init(FixedKeyProcessorContext<String, Contribution> context) {
    this.context = context;
  }

  @Override
  public void process(FixedKeyRecord<String, Contribution> record) {
    long timestamp = record.timestamp();
    observedStreamTime = Math.max(observedStreamTime, timestamp);
    if (rule.isLate(timestamp, observedStreamTime)) {
      listener.late(view);
    }
    context.forward(record);
  }
}
