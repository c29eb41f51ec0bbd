package io.streamdown.aggregate.streams;

import io.streamdown.schemas.EnrichedEvent;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * Gives each record its event's own time as timestamp. Upstream, the Kafka timestamp is the
 * ingest time; windows must use event time, and Kafka Streams windows by record timestamp. The
 * timestamp travels with the record through the repartition topic into the window aggregation.
 */
final class EventTimeStamper implements FixedKeyProcessor<String, EnrichedEvent, EnrichedEvent> {

  private FixedKeyProcessorContext<String, EnrichedEvent> context;

  @Override
  public void init(FixedKeyProcessorContext<String, EnrichedEvent> context) {
    this.context = context;
  }

  @Override
  public void process(FixedKeyRecord<String, EnrichedEvent> record) {
    // The parser guarantees a non-negative time.
    context.forward(record.withTimestamp(record.value().event().time()));
  }
}
