package io.streamdown.ingest.request;

/** The body, the batch or one event exceeds its limit (413). */
public final class PayloadTooLargeException extends RequestRejectedException {

  private final String limit;
  private final long maximum;

  /**
   * @param limit the name of the exceeded setting, such as {@code max-body-bytes}
   * @param maximum the setting's value
   */
  public PayloadTooLargeException(String message, String limit, long maximum) {
    super("too-large", message, 1);
    this.limit = limit;
    this.maximum = maximum;
  }

  public String limit() {
    return limit;
  }

  public long maximum() {
    return maximum;
  }
}
