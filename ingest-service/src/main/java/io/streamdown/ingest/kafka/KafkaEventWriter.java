package io.streamdown.ingest.kafka;

import io.streamdown.ingest.config.IngestSettings;
import io.streamdown.schemas.Event;
import io.streamdown.schemas.Reference;
import io.streamdown.schemas.Topic;
import io.streamdown.schemas.TopicCatalog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.ProducerFactory;

/**
 * Writes events and reference data with the producers of one spring-kafka {@link ProducerFactory},
 * configured by {@link ProducerTuning}.
 *
 * <p>A batch of events is written in one Kafka transaction, shared with the batches of other
 * requests that arrived meanwhile (see {@link GroupCommitter}): {@code producer-pool-size}
 * committers, each with its own pooled transactional producer. On any failure the transaction is
 * aborted, so {@code read_committed} readers never see part of a batch.
 *
 * <p>A single record (one event, a reference upsert or delete) goes through the factory's shared
 * idempotent producer instead: one record is atomic by itself, and {@code acks=all} with
 * idempotence already gives it exactly one durable copy, without the coordinator round trips and
 * the pooled producer a transaction costs.
 *
 * <p>Keys and values are serialized with the topics' own serdes before anything is sent.
 */
public final class KafkaEventWriter implements EventWriter, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(KafkaEventWriter.class);

  private final ProducerFactory<byte[], byte[]> producers;
  private final String eventsTopic;
  private final Serializer<String> eventKeys;
  private final Serializer<Event> eventValues;
  private final String referenceTopic;
  private final Serializer<String> referenceKeys;
  private final Serializer<Reference> referenceValues;
  private final Duration writeTimeout;
  private final GroupCommitter transactions;

  /**
   * @param producers a transactional factory, whose pool holds at most {@code
   *     settings.producerPoolSize()} producers
   * @param topics the topics written to
   * @param settings the write deadline, committers and group limits
   * @param transactionRequests told how many requests each committed transaction carried
   */
  public KafkaEventWriter(
      ProducerFactory<byte[], byte[]> producers,
      TopicCatalog topics,
      IngestSettings.Kafka settings,
      IntConsumer transactionRequests) {
    if (!producers.transactionCapable()) {
      throw new IllegalArgumentException("the producer factory must be transactional");
    }
    this.producers = producers;
    Topic<String, Event> events = topics.eventsRaw();
    this.eventsTopic = events.name();
    this.eventKeys = events.keySerde().serializer();
    this.eventValues = events.valueSerde().serializer();
    Topic<String, Reference> reference = topics.reference();
    this.referenceTopic = reference.name();
    this.referenceKeys = reference.keySerde().serializer();
    this.referenceValues = reference.valueSerde().serializer();
    this.writeTimeout = settings.writeTimeout();
    this.transactions =
        new GroupCommitter(
            producers,
            settings.producerPoolSize(),
            settings.maxTransactionEvents(),
            settings.maxWaitingRequests(),
            transactionRequests);
  }

  /** Lets the committers write what is queued, for at most the write deadline. */
  @Override
  public void close() {
    transactions.close(writeTimeout.toMillis());
  }

  @Override
  public CompletableFuture<Void> writeEvents(List<Event> events) {
    if (events.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    long deadline = System.nanoTime() + writeTimeout.toNanos();
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>(events.size());
    for (Event event : events) {
      records.add(
          new ProducerRecord<>(
              eventsTopic,
              null,
              event.ingestTime(),
              eventKeys.serialize(eventsTopic, event.source()),
              eventValues.serialize(eventsTopic, event)));
    }
    return records.size() == 1
        ? sendAlone(records.get(0), deadline)
        : transactions.write(records, deadline);
  }

  @Override
  public void writeReference(Reference reference) {
    long deadline = System.nanoTime() + writeTimeout.toNanos();
    await(
        sendAlone(
            new ProducerRecord<>(
                referenceTopic,
                null,
                reference.updatedAt(),
                referenceKeys.serialize(referenceTopic, reference.source()),
                referenceValues.serialize(referenceTopic, reference)),
            deadline));
  }

  @Override
  public void deleteReference(String source) {
    long deadline = System.nanoTime() + writeTimeout.toNanos();
    await(
        sendAlone(
            new ProducerRecord<>(
                referenceTopic, referenceKeys.serialize(referenceTopic, source), null),
            deadline));
  }

  /**
   * Sends one record on the shared idempotent producer; the returned future is completed by the
   * producer's acknowledgement callback, so no thread waits for it.
   */
  private CompletableFuture<Void> sendAlone(ProducerRecord<byte[], byte[]> record, long deadline) {
    CompletableFuture<Void> acknowledged = new CompletableFuture<>();
    try {
      // Shared and thread-safe, owned by the factory: not closed after use.
      Producer<byte[], byte[]> producer = producers.createNonTransactionalProducer();
      producer.send(
          record,
          (metadata, error) -> {
            if (error == null) {
              acknowledged.complete(null);
            } else if (error instanceof org.apache.kafka.common.errors.TimeoutException) {
              // The broker may have appended the record and only its acknowledgement was lost.
              acknowledged.completeExceptionally(
                  unknownOutcome("Kafka did not acknowledge the write in time", error));
            } else {
              acknowledged.completeExceptionally(
                  unavailable("Kafka did not take the write", error));
            }
          });
    } catch (KafkaException e) {
      // send() itself failed, typically no metadata within max.block.ms.
      acknowledged.completeExceptionally(unavailable("Kafka did not take the write", e));
      return acknowledged;
    }
    // delivery.timeout.ms already ends every send within the deadline; this only guards it.
    return within(
        acknowledged,
        remainingMillis(deadline),
        "Kafka did not acknowledge the write within " + writeTimeout);
  }

  /**
   * The write, failed with a {@link KafkaUnavailableException} if not done within the time; the
   * write is then still in flight, so its outcome is unknown.
   */
  static CompletableFuture<Void> within(
      CompletableFuture<Void> write, long millis, String message) {
    return write
        .orTimeout(millis, TimeUnit.MILLISECONDS)
        .exceptionallyCompose(
            e ->
                CompletableFuture.failedFuture(
                    e instanceof TimeoutException ? unknownOutcome(message, e) : e));
  }

  /** Waits for a write; the write's own deadline bounds the wait. */
  private static void await(CompletableFuture<Void> write) {
    try {
      write.get();
    } catch (ExecutionException e) {
      throw KafkaUnavailableException.of(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unknownOutcome("interrupted while waiting for Kafka", e);
    }
  }

  static long remainingMillis(long deadline) {
    return Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
  }

  static KafkaUnavailableException unavailable(String message, Throwable cause) {
    log.warn("{}{}", message, causeText(cause));
    return new KafkaUnavailableException(message, cause);
  }

  static KafkaUnavailableException unknownOutcome(String message, Throwable cause) {
    log.warn("{}{} (the write may still become visible)", message, causeText(cause));
    return KafkaUnavailableException.outcomeUnknown(message, cause);
  }

  private static String causeText(Throwable cause) {
    return cause == null || cause.getMessage() == null ? "" : ": " + cause.getMessage();
  }
}
