package io.streamdown.schemas;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * One event as it travels on {@code events.raw}: what a producer posted, stamped by ingest.
 *
 * <p>{@code time} is the event's own time (epoch millis; on the topic it may also be an RFC 3339
 * string, so that any producer can write the topic), {@code ingestTime} when ingest accepted it.
 * {@code value} is optional; {@code attributes} is a flat map of string, number or boolean values.
 *
 * @param eventId identity of the event; the same id from the same source is the same event
 * @param source the emitting entity, also the Kafka key
 * @param type what kind of event this is
 * @param time event time in epoch millis
 * @param value an optional finite number
 * @param attributes optional flat attributes
 * @param ingestTime when ingest accepted the event, epoch millis
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Event(
    String eventId,
    String source,
    String type,
    @JsonDeserialize(using = EpochMillisDeserializer.class) Long time,
    Double value,
    Map<String, Object> attributes,
    @JsonDeserialize(using = EpochMillisDeserializer.class) Long ingestTime) {

  /** The event's attributes, never null. */
  public Map<String, Object> attributesOrEmpty() {
    return attributes == null ? Map.of() : attributes;
  }
}
