package io.streamdown.support;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TransactionAbortedException;
import org.apache.kafka.common.metrics.KafkaMetric;

/**
 * A transactional producer that flushes once per commit: its {@link #flush()} waits for nothing
 * while a transaction is open, and {@link #sendOffsetsToTransaction} flushes instead, which Kafka
 * Streams calls once per commit, after every task has prepared it.
 *
 * <p>Why: under {@code exactly_once_v2} a stream thread's tasks share one producer, and Kafka
 * Streams prepares a commit task by task, flushing the task's record cache and then the producer
 * for each. Every flush is a round trip to the broker that the thread waits out, so a thread with
 * twelve tasks (aggregate: six partitions, two sub-topologies) waited out up to twelve round trips
 * per commit: 20-58 ms of producer flushes per commit on two shared cores, against 2-4 ms to
 * commit the transaction (bench README, "One flush per commit"). The thread processes nothing
 * while it commits, and the next stage sees nothing before the commit, so every exactly-once hop
 * paid for it.
 *
 * <p>Nothing is weakened: the offsets join the transaction only once the broker has acknowledged
 * every record in it, and the transaction commits only if every send succeeded. A failed send
 * fails {@link #sendOffsetsToTransaction} with the send's own exception, before the commit, and
 * Kafka Streams handles it much as it handles a failed flush: an expired send (a timeout) marks
 * the tasks corrupted, so the transaction is aborted and their input processed again; a fenced
 * producer migrates the tasks; any other failure stops the thread, as the default production
 * exception handler does. Outside a transaction (before the first send, after a commit or an
 * abort) {@link #flush()} flushes as usual. Like every Kafka Streams producer, it is used by its
 * stream thread alone; the send callbacks run on the producer's I/O thread.
 */
final class OneFlushPerCommitProducer<K, V> implements Producer<K, V> {

  private final Producer<K, V> delegate;
  private boolean inTransaction;
  /** The first failed send of the open transaction, set by the producer's I/O thread. */
  private volatile KafkaException failedSend;

  OneFlushPerCommitProducer(Producer<K, V> delegate) {
    this.delegate = delegate;
  }

  /** Waits for the transaction's records only when there is no open transaction to commit them. */
  @Override
  public void flush() {
    if (!inTransaction) {
      delegate.flush();
    }
  }

  @Override
  public void beginTransaction() {
    delegate.beginTransaction();
    failedSend = null;
    inTransaction = true;
  }

  @Override
  public void commitTransaction() {
    delegate.commitTransaction();
    inTransaction = false;
  }

  @Override
  public void abortTransaction() {
    // The transaction is over whether or not the abort reached the broker: a failed abort leaves
    // a producer that Kafka Streams closes, and its records are not committed either way.
    inTransaction = false;
    delegate.abortTransaction();
  }

  /**
   * Waits for every record of the transaction, then adds the offsets to it.
   *
   * @throws KafkaException the first failed send of the transaction, as the producer reported it
   */
  @Override
  public void sendOffsetsToTransaction(
      Map<TopicPartition, OffsetAndMetadata> offsets, ConsumerGroupMetadata groupMetadata) {
    if (inTransaction) {
      delegate.flush();
      KafkaException failed = failedSend;
      if (failed != null) {
        throw failed;
      }
    }
    delegate.sendOffsetsToTransaction(offsets, groupMetadata);
  }

  @Override
  public void initTransactions() {
    delegate.initTransactions();
  }

  @Override
  public Future<RecordMetadata> send(ProducerRecord<K, V> record) {
    return send(record, null);
  }

  @Override
  public Future<RecordMetadata> send(ProducerRecord<K, V> record, Callback callback) {
    return delegate.send(
        record,
        (metadata, exception) -> {
          // An abort fails the sends it discards; that ends a transaction, it does not fail one.
          if (exception != null
              && !(exception instanceof TransactionAbortedException)
              && failedSend == null) {
            failedSend =
                exception instanceof KafkaException kafka ? kafka : new KafkaException(exception);
          }
          if (callback != null) {
            callback.onCompletion(metadata, exception);
          }
        });
  }

  @Override
  public List<PartitionInfo> partitionsFor(String topic) {
    return delegate.partitionsFor(topic);
  }

  @Override
  public Map<MetricName, ? extends Metric> metrics() {
    return delegate.metrics();
  }

  @Override
  public void registerMetricForSubscription(KafkaMetric metric) {
    delegate.registerMetricForSubscription(metric);
  }

  @Override
  public void unregisterMetricFromSubscription(KafkaMetric metric) {
    delegate.unregisterMetricFromSubscription(metric);
  }

  @Override
  public Uuid clientInstanceId(Duration timeout) {
    return delegate.clientInstanceId(timeout);
  }

  @Override
  public void close() {
    delegate.close();
  }

  @Override
  public void close(Duration timeout) {
    delegate.close(timeout);
  }
}
