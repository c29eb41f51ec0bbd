package io.streamdown.ingest.request;

import java.util.List;

/** The body is well-formed but does not fit the schema (422); nothing was written. */
public final class InvalidBodyException extends RequestRejectedException {

  private final List<Violation> violations;

  public InvalidBodyException(String message, List<Violation> violations, int rejectedEvents) {
    super("invalid", message, Math.max(1, rejectedEvents));
    this.violations = List.copyOf(violations);
  }

  public List<Violation> violations() {
    return violations;
  }
}
