package io.streamdown.enrich.streams;

import io.streamdown.schemas.Event;
import io.streamdown.schemas.EventLimits;
import io.streamdown.schemas.Json;
import io.streamdown.support.RecordParser;
import java.util.List;

/**
 * Reads an {@link Event} from {@code events.raw} and rejects what ingest would never have
 * written: a null value, invalid JSON, a violation of {@link EventLimits}, or a key that is not
 * the event's source (the key decides the partition, and so which reference data and which
 * de-duplication state the event meets). Invalid JSON surfaces as Jackson's own exception, so
 * the dead letter names the exact parse problem.
 */
final class EventParser implements RecordParser<Event> {

  @Override
  public Event parse(String key, byte[] value) throws InvalidRecordException {
    if (value == null) {
      throw new InvalidRecordException("value: is null; a tombstone is not an event");
    }
    Event event = Json.read(value, Event.class);
    if (event == null) {
      throw new InvalidRecordException("value: JSON null is not an event");
    }
    List<String> violations = EventLimits.violations(event);
    if (!violations.isEmpty()) {
      throw new InvalidRecordException(String.join("; ", violations));
    }
    if (key == null) {
      throw new InvalidRecordException("key: is required and must equal the event's source");
    }
    if (!key.equals(event.source())) {
      throw new InvalidRecordException(
          "key: must equal the event's source, was '%s' for source '%s'"
              .formatted(key, event.source()));
    }
    return event;
  }
}
