package io.streamdown.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TransactionAbortedException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class OneFlushPerCommitProducerTest {

  private static final ProducerRecord<String, String> RECORD =
      new ProducerRecord<>("events.enriched", "ad-1", "event");
  private static final TopicPartition INPUT = new TopicPartition("events.raw", 0);

  /**
   * Kafka's mock producer, completing sends only when flushed or committed (as a real producer
   * waiting for the broker), counting the flushes and the offset additions that reach it.
   */
  static final class Kafka extends MockProducer<String, String> {
    int flushes;
    int offsetsAdded;

    Kafka() {
      super(false, null, new StringSerializer(), new StringSerializer());
    }

    @Override
    public synchronized void flush() {
      flushes++;
      super.flush();
    }

    @Override
    public synchronized void sendOffsetsToTransaction(
        Map<TopicPartition, OffsetAndMetadata> offsets, ConsumerGroupMetadata groupMetadata) {
      offsetsAdded++;
      super.sendOffsetsToTransaction(offsets, groupMetadata);
    }
  }

  private final Kafka kafka = new Kafka();
  private final OneFlushPerCommitProducer<String, String> producer =
      new OneFlushPerCommitProducer<>(kafka);

  private void assertTheNextFlushReachesKafka() {
    int flushesSoFar = kafka.flushes; // the mock's own commit and abort flush too
    producer.flush();
    assertThat(kafka.flushes).isEqualTo(flushesSoFar + 1);
  }

  @Test
  void flushesInsideATransactionLeaveTheRecordsToTheCommit() throws Exception {
    producer.initTransactions();
    producer.beginTransaction();
    Future<RecordMetadata> sent = producer.send(RECORD);

    // Kafka Streams flushes once for every task it prepares to commit.
    producer.flush();
    producer.flush();

    assertThat(kafka.flushes).isZero();
    assertThat(sent).isNotDone();
    producer.sendOffsetsToTransaction(
        Map.of(INPUT, new OffsetAndMetadata(7)), new ConsumerGroupMetadata("streamdown-enrich"));
    producer.commitTransaction();

    assertThat(sent).isDone();
    assertThat(sent.get().topic()).isEqualTo("events.enriched");
    assertThat(kafka.transactionCommitted()).isTrue();
    assertThat(kafka.history()).containsExactly(RECORD);
    assertThat(kafka.consumerGroupOffsetsHistory())
        .containsExactly(Map.of("streamdown-enrich", Map.of(INPUT, new OffsetAndMetadata(7))));
  }

  @Test
  void addingTheOffsetsWaitsForEveryRecordOfTheTransaction() {
    producer.initTransactions();
    producer.beginTransaction();
    Future<RecordMetadata> sent = producer.send(RECORD);
    producer.flush();

    producer.sendOffsetsToTransaction(
        Map.of(INPUT, new OffsetAndMetadata(7)), new ConsumerGroupMetadata("streamdown-enrich"));

    assertThat(kafka.flushes).isEqualTo(1);
    assertThat(sent).isDone();
    assertThat(kafka.transactionCommitted()).isFalse();
  }

  @Test
  void aFailedSendFailsAddingTheOffsetsWithItsOwnExceptionAndCommitsNothing() {
    producer.initTransactions();
    producer.beginTransaction();
    List<Exception> heard = new ArrayList<>();
    producer.send(RECORD, (metadata, exception) -> heard.add(exception));
    producer.send(RECORD);
    TimeoutException expired = new TimeoutException("Expiring 1 record(s)");
    kafka.errorNext(expired);

    assertThatThrownBy(
            () ->
                producer.sendOffsetsToTransaction(
                    Map.of(INPUT, new OffsetAndMetadata(7)),
                    new ConsumerGroupMetadata("streamdown-enrich")))
        .isSameAs(expired);

    // Kafka Streams' own callback heard it too: its record collector classifies the failure.
    assertThat(heard).containsExactly(expired);
    assertThat(kafka.offsetsAdded).isZero();
    producer.abortTransaction();
    assertThat(kafka.history()).isEmpty();
    producer.beginTransaction();
    producer.send(RECORD);
    producer.sendOffsetsToTransaction(
        Map.of(INPUT, new OffsetAndMetadata(7)), new ConsumerGroupMetadata("streamdown-enrich"));
    producer.commitTransaction();
    assertThat(kafka.history()).containsExactly(RECORD);
  }

  @Test
  void aSendDiscardedByAnAbortIsNotAFailedSend() {
    // The producer fails the sends an abort discards, possibly after the abort has returned:
    // such a callback must not fail the transaction that follows.
    producer.initTransactions();
    producer.beginTransaction();
    producer.send(RECORD);
    kafka.errorNext(new TransactionAbortedException("discarded by an abort"));

    producer.sendOffsetsToTransaction(
        Map.of(INPUT, new OffsetAndMetadata(7)), new ConsumerGroupMetadata("streamdown-enrich"));

    assertThat(kafka.offsetsAdded).isEqualTo(1);
  }

  @Test
  void withoutATransactionAFlushWaitsForTheRecords() {
    Future<RecordMetadata> sent = producer.send(RECORD);

    producer.flush();

    assertThat(kafka.flushes).isEqualTo(1);
    assertThat(sent).isDone();
  }

  @Test
  void afterACommitFlushesReachTheProducerAgain() {
    producer.initTransactions();
    producer.beginTransaction();
    producer.send(RECORD);
    producer.commitTransaction();

    assertTheNextFlushReachesKafka();
  }

  @Test
  void anAbortedTransactionCommitsNothingAndEndsTheTransaction() {
    producer.initTransactions();
    producer.beginTransaction();
    Future<RecordMetadata> sent = producer.send(RECORD);
    producer.flush();

    producer.abortTransaction();

    assertThat(kafka.transactionAborted()).isTrue();
    assertThat(kafka.history()).isEmpty();
    assertThat(sent).isDone();
    assertTheNextFlushReachesKafka();
  }

  @Test
  void aFailedCommitLeavesTheTransactionOpenForTheAbort() {
    producer.initTransactions();
    producer.beginTransaction();
    producer.send(RECORD);
    kafka.commitTransactionException = new KafkaException("broker unreachable");

    assertThatThrownBy(producer::commitTransaction).hasMessage("broker unreachable");
    producer.flush();
    assertThat(kafka.flushes).isZero();

    producer.abortTransaction();
    assertThat(kafka.transactionAborted()).isTrue();
    assertThat(kafka.history()).isEmpty();
  }
}
