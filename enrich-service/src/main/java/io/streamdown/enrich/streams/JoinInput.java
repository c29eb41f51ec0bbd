package io.streamdown.enrich.streams;

import io.streamdown.schemas.Event;
import io.streamdown.schemas.Reference;

/**
 * What reaches the join ({@link ReferenceJoin}): an event to enrich, or a change of its source's
 * reference data. Both go through one processor so that the processor which caches the latest
 * versions ({@link LatestReferences}) is the one that sees every change.
 */
sealed interface JoinInput {

  /** An event to join with its source's reference version at its record timestamp. */
  record EventArrived(Event event) implements JoinInput {}

  /** A reference version the table has just stored; {@code reference} null: a deletion. */
  record ReferenceChanged(Reference reference) implements JoinInput {}

  static JoinInput event(Event event) {
    return new EventArrived(event);
  }

  static JoinInput change(Reference reference) {
    return new ReferenceChanged(reference);
  }
}
