package io.streamdown.ingest.kafka;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Kafka did not confirm a write within the deadline, or refused it. Either nothing of the request
 * is visible to {@code read_committed} readers, or ({@link #outcomeUnknown()}) the answer had to
 * be given while the write was still in flight, and it may yet become visible. Either way a retry
 * with the same event ids is safe: enrich drops the duplicates.
 */
public final class KafkaUnavailableException extends RuntimeException {

  private final boolean outcomeUnknown;

  /** A write that certainly did not happen. */
  public KafkaUnavailableException(String message, Throwable cause) {
    this(message, cause, false);
  }

  private KafkaUnavailableException(String message, Throwable cause, boolean outcomeUnknown) {
    super(message, cause);
    this.outcomeUnknown = outcomeUnknown;
  }

  /**
   * A write whose fate is not known when the answer is due: a transaction or an acknowledgement
   * still pending at the deadline, or a commit whose abort failed.
   */
  public static KafkaUnavailableException outcomeUnknown(String message, Throwable cause) {
    return new KafkaUnavailableException(message, cause, true);
  }

  /** Whether the records may still become visible although the request failed. */
  public boolean outcomeUnknown() {
    return outcomeUnknown;
  }

  /**
   * The failure of a write as this exception: unwrapped from the envelope a future or a blocking
   * wait puts around it, and wrapped only when it is something else.
   */
  public static KafkaUnavailableException of(Throwable failure) {
    Throwable cause =
        (failure instanceof CompletionException || failure instanceof ExecutionException)
                && failure.getCause() != null
            ? failure.getCause()
            : failure;
    return cause instanceof KafkaUnavailableException unavailable
        ? unavailable
        : outcomeUnknown("Kafka did not take the write", cause);
  }
}
