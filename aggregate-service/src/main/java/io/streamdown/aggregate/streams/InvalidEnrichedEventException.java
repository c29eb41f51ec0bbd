package io.streamdown.aggregate.streams;

/**
 * An {@code events.enriched} record that is valid JSON but not an event the windows can use. Its
 * class name and message end up in the dead letter's headers.
 */
public final class InvalidEnrichedEventException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  public InvalidEnrichedEventException(String message) {
    super(message);
  }
}
