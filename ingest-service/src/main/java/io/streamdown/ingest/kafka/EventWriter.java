package io.streamdown.ingest.kafka;

import io.streamdown.schemas.Event;
import io.streamdown.schemas.Reference;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Writes accepted input to Kafka. A write is done once Kafka has acknowledged every record, and
 * gives up within the configured write deadline. Events are written asynchronously, so that a
 * request thread is not held while Kafka acknowledges; reference writes, which are rare, block.
 */
public interface EventWriter {

  /**
   * Writes events to {@code events.raw}, keyed by source, with the ingest time as record timestamp.
   * All or nothing: {@code read_committed} readers see every event or none.
   *
   * @param events valid events, at least one
   * @return completes once every event is acknowledged, or exceptionally with a {@link
   *     KafkaUnavailableException} when Kafka did not take the write in time
   */
  CompletableFuture<Void> writeEvents(List<Event> events);

  /**
   * Upserts the reference data of one source.
   *
   * @throws KafkaUnavailableException when Kafka did not take the write in time
   */
  void writeReference(Reference reference);

  /**
   * Deletes the reference data of one source (a tombstone).
   *
   * @throws KafkaUnavailableException when Kafka did not take the write in time
   */
  void deleteReference(String source);
}
