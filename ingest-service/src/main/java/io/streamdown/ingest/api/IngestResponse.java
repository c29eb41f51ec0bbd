package io.streamdown.ingest.api;

import io.streamdown.schemas.Event;
import java.util.List;

/**
 * The answer to an accepted {@code POST /api/v1/events}: how many events were written and their
 * ids, in request order (ids the producer left out were assigned).
 *
 * @param accepted the number of events written
 * @param eventIds the id of each event, in request order
 */
public record IngestResponse(int accepted, List<String> eventIds) {

  static IngestResponse of(List<Event> events) {
    return new IngestResponse(events.size(), events.stream().map(Event::eventId).toList());
  }
}
