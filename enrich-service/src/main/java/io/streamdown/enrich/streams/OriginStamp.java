package io.streamdown.enrich.streams;

import io.streamdown.schemas.EnrichedEvent;
import io.streamdown.schemas.EventOrigin;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * Marks each enriched event with the partition of {@code events.raw} it was read from ({@link
 * EventOrigin}): the task's partition, since {@code events.raw} and {@code reference} are
 * co-partitioned and a task reads the one partition of each. Events released from waiting carry
 * it too (the release runs in the same task). Aggregate measures lateness per origin.
 */
final class OriginStamp implements FixedKeyProcessor<String, EnrichedEvent, EnrichedEvent> {

  private FixedKeyProcessorContext<String, EnrichedEvent> context;
  private int partition;

  @Override
  public void init(FixedKeyProcessorContext<String, EnrichedEvent> context) {
    this.context = context;
    this.partition = context.taskId().partition();
  }

  @Override
  public void process(FixedKeyRecord<String, EnrichedEvent> record) {
    // A copy: the headers came with the raw event, and a mark must never travel back upstream.
    Headers headers = new RecordHeaders(record.headers().toArray());
    EventOrigin.mark(headers, partition);
    context.forward(record.withHeaders(headers));
  }
}
