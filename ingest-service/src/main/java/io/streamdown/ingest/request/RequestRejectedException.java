package io.streamdown.ingest.request;

/**
 * A request the service refuses because of what the client sent. Carries the {@code reason} tag of
 * the rejection metric and how many events it rejects. Without a stack trace: it is an answer, not
 * a failure.
 */
public abstract class RequestRejectedException extends RuntimeException {

  private final String reason;
  private final int rejectedEvents;

  protected RequestRejectedException(String reason, String message, int rejectedEvents) {
    super(message, null, false, false);
    this.reason = reason;
    this.rejectedEvents = rejectedEvents;
  }

  /** The {@code reason} tag of {@code streamdown.ingest.events.rejected}. */
  public String reason() {
    return reason;
  }

  /** The events this rejection refuses when they were counted, else 1 (the request). */
  public int rejectedEvents() {
    return rejectedEvents;
  }
}
