package io.streamdown.aggregate.streams;

import io.streamdown.schemas.EnrichedEvent;
import io.streamdown.schemas.Event;
import io.streamdown.schemas.EventLimits;
import io.streamdown.schemas.Json;
import io.streamdown.support.RecordParser;
import java.time.Duration;
import java.util.List;

/**
 * Reads an {@code events.enriched} record and accepts only what the windows can use: a non-null
 * event within {@link EventLimits}, with an event time and an ingest time. Whatever it rejects
 * becomes a dead letter.
 *
 * <p>Two rules protect the windows rather than the contract. A negative event time cannot be a
 * record timestamp. An event time more than {@link #MAX_FUTURE_SKEW} after the ingest time
 * (ingest refuses those; another producer may not) would advance stream time so far that every
 * window of the task closes and all later events of the present are dropped as late, and the
 * broker would refuse it on the repartition topic ({@code message.timestamp.after.max.ms}, one
 * hour by default). Comparing with the ingest time rather than the clock keeps the decision the
 * same when records are reprocessed.
 */
public final class EnrichedEventParser implements RecordParser<EnrichedEvent> {

  /** How far an event's own time may lie after its ingest time; ingest's default limit. */
  public static final Duration MAX_FUTURE_SKEW = Duration.ofHours(1);

  @Override
  public EnrichedEvent parse(String key, byte[] value) {
    if (value == null) {
      throw new InvalidEnrichedEventException("value: a tombstone is not an enriched event");
    }
    EnrichedEvent enriched = Json.read(value, EnrichedEvent.class);
    if (enriched == null) {
      throw new InvalidEnrichedEventException("value: JSON null is not an enriched event");
    }
    Event event = enriched.event();
    if (event == null) {
      throw new InvalidEnrichedEventException("event: is required");
    }
    List<String> violations = EventLimits.violations(event);
    if (!violations.isEmpty()) {
      throw new InvalidEnrichedEventException(String.join("; ", violations));
    }
    if (event.time() == null) {
      throw new InvalidEnrichedEventException("event.time: is required");
    }
    if (event.time() < 0) {
      throw new InvalidEnrichedEventException("event.time: must not be before the epoch");
    }
    if (event.ingestTime() == null) {
      throw new InvalidEnrichedEventException("event.ingestTime: is required");
    }
    if (event.time() - event.ingestTime() > MAX_FUTURE_SKEW.toMillis()) {
      throw new InvalidEnrichedEventException(
          "event.time: more than " + MAX_FUTURE_SKEW + " after event.ingestTime");
    }
    return enriched;
  }
}
