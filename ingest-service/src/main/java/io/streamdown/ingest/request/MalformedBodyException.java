package io.streamdown.ingest.request;

/** The body is not well-formed JSON or NDJSON at all (400). */
public final class MalformedBodyException extends RequestRejectedException {

  private final Integer line;

  public MalformedBodyException(String message, Integer line) {
    super("malformed", message, 1);
    this.line = line;
  }

  /** The 1-based NDJSON line that is malformed, null for a JSON body. */
  public Integer line() {
    return line;
  }
}
