package io.streamdown.ingest.kafka;

/**
 * Kafka did not take a write within the deadline, or refused it; nothing of the request is visible
 * to {@code read_committed} readers. The client may retry.
 */
public final class KafkaUnavailableException extends RuntimeException {

  public KafkaUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
