package io.streamdown.aggregate.streams;

import io.streamdown.schemas.EventOrigin;
import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * Drops and counts a tumbling view's late events before its window aggregation, measuring the
 * view's grace against the slowest origin of the task's records ({@link OriginWatermark}) instead
 * of against the newest record of any origin, as Kafka Streams' stream time does.
 *
 * <p>Why: every enrich task writes to every partition of {@code events.enriched}, so while enrich's
 * tasks catch up unevenly (after an outage, or on a backlog) one partition receives the events of
 * a fast task well before older ones of a slow task. Against Kafka's stream time those older
 * events are late and were dropped, though every origin delivered its own events in order. Here an
 * event is late only if its window closed for every active origin, which on a single origin is
 * exactly Kafka's rule. The aggregation itself runs with a grace reaching to the store's retention
 * ({@link ViewWindows#of}), so it accepts what passes here; what it would still drop (windows
 * older than the retention, measured from the newest record as Kafka does) is dropped and counted
 * here first, so the view's late count stays the number of events not aggregated.
 */
final class LateEventFilter implements FixedKeyProcessor<String, Contribution, Contribution> {

  private final String view;
  private final LateEventRule viewRule;
  private final LateEventRule storeRule;
  private final AggregateListener listener;
  private final OriginWatermark origins;
  private FixedKeyProcessorContext<String, Contribution> context;
  private long observedStreamTime = ConsumerRecord.NO_TIMESTAMP;

  /**
   * @param viewRule the view's grace
   * @param storeRule the aggregation's own grace (to the store's retention)
   * @param originIdle how long an origin may send nothing before it stops holding back the
   *     watermark
   */
  LateEventFilter(
      String view,
      LateEventRule viewRule,
      LateEventRule storeRule,
      Duration originIdle,
      AggregateListener listener) {
    this.view = view;
    this.origins = new OriginWatermark(originIdle.toMillis());
    this.viewRule = viewRule;
    this.storeRule = storeRule;
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
    long origin = RegroupOrigin.originOf(EventOrigin.of(record.headers()), record.headers());
    long watermark = origins.observe(origin, timestamp, context.currentSystemTimeMs());
    if (viewRule.isLate(timestamp, watermark)
        || storeRule.isLate(timestamp, observedStreamTime)) {
      listener.late(view);
      return;
    }
    context.forward(record);
  }
}
