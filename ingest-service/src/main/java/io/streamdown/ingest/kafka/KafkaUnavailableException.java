package io.streamdown.ingest.kafka;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Kafka did not take a write within the deadline, or refused it; nothing of the request is visible
 * to {@code read_committed} readers. The client may retry.
 */
public final class KafkaUnavailableException extends RuntimeException {

  public KafkaUnavailableException(String message, Throwable cause) {
    super(message, cause);
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
        : new KafkaUnavailableException("Kafka did not take the write", cause);
  }
}
