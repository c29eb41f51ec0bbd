package io.streamdown.support;

import io.streamdown.schemas.DeadLetters;
import java.util.Optional;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/** The dead-letter headers of a record a processor gave up on, with where it was read from. */
public final class DeadLetterHeaders {

  private DeadLetterHeaders() {}

  /**
   * The record's own headers plus the dead-letter headers naming the stage, the failure and the
   * record's origin (topic, partition, offset; empty and -1 where the context does not know it).
   */
  public static Headers of(
      Headers original, String stage, Exception failure, Optional<RecordMetadata> origin) {
    RecordMetadata from = origin.orElse(null);
    return DeadLetters.headers(
        original,
        stage,
        failure.getClass().getName(),
        failure.getMessage(),
        from == null ? null : from.topic(),
        from == null ? -1 : from.partition(),
        from == null ? -1L : from.offset());
  }
}
