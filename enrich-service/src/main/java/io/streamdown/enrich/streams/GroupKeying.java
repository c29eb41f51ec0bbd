package io.streamdown.enrich.streams;

import io.streamdown.schemas.EnrichedEvent;
import io.streamdown.schemas.EnrichedKeying;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Keys an enriched event by its group in the keying view and marks it so ({@link
 * EnrichedKeying#HEADER}); an event without a group there keeps its source as key, unmarked.
 */
final class GroupKeying implements Processor<String, EnrichedEvent, String, EnrichedEvent> {

  private final EnrichedKeying keying;
  private ProcessorContext<String, EnrichedEvent> context;

  GroupKeying(EnrichedKeying keying) {
    this.keying = keying;
  }

  @Override
  public void init(ProcessorContext<String, EnrichedEvent> context) {
    this.context = context;
  }

  @Override
  public void process(Record<String, EnrichedEvent> record) {
    // The headers are this record's own: the step before (OriginStamp) copied them from the raw
    // event's, so a mark cannot travel back upstream.
    Headers headers = record.headers();
    String group = keying.groupKeyOf(record.value());
    if (group == null) {
      EnrichedKeying.unmark(headers);
      context.forward(record);
    } else {
      keying.mark(headers);
      context.forward(record.withKey(group));
    }
  }
}
