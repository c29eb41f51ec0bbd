package io.streamdown.enrich.streams;

/**
 * A record that is well-formed JSON but not an acceptable event or reference (limits violated,
 * key and source disagree, tombstone where none is allowed). Thrown by the parsers; the record
 * becomes a dead letter with this message.
 */
public final class InvalidRecordException extends Exception {

  private static final long serialVersionUID = 1L;

  public InvalidRecordException(String message) {
    super(message);
  }
}
