package io.streamdown.enrich.streams;

import io.streamdown.schemas.Event;
import io.streamdown.schemas.Json;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Fills what ingest always sets but another producer of {@code events.raw} may leave out:
 * {@code ingestTime} becomes the record timestamp, {@code time} the ingest time, and a missing
 * {@code eventId} is derived from the record's topic, partition and offset.
 *
 * <p>The derived id is deterministic, so reprocessing the same record (after a crash, or a replay
 * from an earlier offset) assigns the same id and downstream consumers see the same event. It is
 * deliberately not derived from the bytes: two records with identical bytes and no id (say, a
 * counter tick without a time) are two events, and must not de-duplicate each other.
 */
final class EventCompletion implements FixedKeyProcessor<String, Event, Event> {

  private FixedKeyProcessorContext<String, Event> context;

  @Override
  public void init(FixedKeyProcessorContext<String, Event> context) {
    this.context = context;
  }

  @Override
  public void process(FixedKeyRecord<String, Event> record) {
    Event event = record.value();
    if (event.eventId() != null && event.time() != null && event.ingestTime() != null) {
      context.forward(record);
      return;
    }
    long ingestTime = event.ingestTime() != null ? event.ingestTime() : record.timestamp();
    long time = event.time() != null ? event.time() : ingestTime;
    String eventId = event.eventId() != null ? event.eventId() : derivedId(record);
    context.forward(
        record.withValue(
            new Event(
                eventId,
                event.source(),
                event.type(),
                time,
                event.value(),
                event.attributes(),
                ingestTime)));
  }

  private String derivedId(FixedKeyRecord<String, Event> record) {
    RecordMetadata origin = context.recordMetadata().orElse(null);
    if (origin == null) {
      // Only without a source record (never for records read from a topic): fall back to the
      // content, which is as deterministic as it gets then.
      String content = new String(Json.write(record.value()), StandardCharsets.UTF_8);
      return nameUuid(record.timestamp() + ":" + content);
    }
    return derivedId(origin.topic(), origin.partition(), origin.offset());
  }

  /** The id given to an event without one, read at this position of the log. */
  static String derivedId(String topic, int partition, long offset) {
    return nameUuid(topic + ":" + partition + ":" + offset);
  }

  private static String nameUuid(String name) {
    return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
  }
}
