package io.streamdown.aggregate.streams;

import io.streamdown.schemas.Event;

/**
 * What one event adds to a window aggregate: its event time, its ingest time and its optional
 * value. This, not the whole enriched event, is what a view repartitions by group: the aggregation
 * needs nothing else, and a few bytes per record instead of the event's JSON (with its attributes
 * and reference data) keep the repartition topic, its serialization and parsing small.
 *
 * @param time event time, epoch millis
 * @param ingestTime when ingest accepted the event, epoch millis
 * @param value the event's value, or null
 */
public record Contribution(long time, long ingestTime, Double value) {

  /** The contribution of a parsed event (whose time and ingest time the parser required). */
  public static Contribution of(Event event) {
    return new Contribution(event.time(), event.ingestTime(), event.value());
  }
}
