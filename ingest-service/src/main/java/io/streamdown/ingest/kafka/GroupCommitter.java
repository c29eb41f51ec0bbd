package io.streamdown.ingest.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.ProducerFactory;

/**
 * Writes the batches of concurrent requests in shared Kafka transactions (group commit).
 *
 * <p>A transaction costs the same few coordinator round trips whether it carries one request's
 * records or fifty, so one transaction per request caps a service at a few dozen batch requests
 * per second per producer. Here a request queues its records and is answered when they commit;
 * each of {@code committers} threads takes every request queued since its previous transaction (up
 * to {@code maxRecords}), writes them all in one transaction on its own pooled transactional
 * producer and completes them together. Batching costs no added delay: a group is whatever arrived
 * while the previous transaction was in flight.
 *
 * <p>Atomicity per request holds: all of a request's records are in one transaction, which either
 * commits (every request of the group gets its 202) or aborts (every request of the group gets
 * its 503, and {@code read_committed} readers see none of their records). A transaction whose
 * outcome is not known when the answer is due (a commit that timed out and could not be aborted,
 * or no outcome by the deadline) answers 503 with an unknown outcome. A request whose deadline
 * has passed before its group starts is failed without being sent.
 */
final class GroupCommitter {

  private static final Logger log = LoggerFactory.getLogger(GroupCommitter.class);

  /** How often an idle committer checks whether the writer is closing. */
  private static final long IDLE_POLL_MILLIS = 200;

  /** One request's records, its deadline and the outcome its answer waits for. */
  private record Pending(
      List<ProducerRecord<byte[], byte[]>> records, long deadline, CompletableFuture<Void> done) {}

  private final ProducerFactory<byte[], byte[]> producers;
  private final BlockingQueue<Pending> queue;
  private final int maxRecords;
  private final IntConsumer groupSizes;
  private final List<Thread> committers = new ArrayList<>();
  private volatile boolean closed;

  /**
   * @param producers a transactional producer factory with a pool of at least {@code committers}
   * @param committers threads, each with a transaction in flight at most
   * @param maxRecords records above which a group is not extended with another request
   * @param maxQueued requests that may wait for a committer before new ones are refused
   * @param groupSizes told the number of requests of every committed transaction
   */
  GroupCommitter(
      ProducerFactory<byte[], byte[]> producers,
      int committers,
      int maxRecords,
      int maxQueued,
      IntConsumer groupSizes) {
    this.producers = producers;
    this.queue = new LinkedBlockingQueue<>(maxQueued);
    this.maxRecords = maxRecords;
    this.groupSizes = groupSizes;
    for (int i = 0; i < committers; i++) {
      Thread thread = new Thread(this::commitLoop, "ingest-committer-" + i);
      thread.setDaemon(true);
      this.committers.add(thread);
      thread.start();
    }
  }

  /**
   * Queues the records for a transaction, possibly shared with other requests. Never blocks: the
   * caller's thread is free while the transaction runs.
   *
   * @return completes once the transaction committed, or exceptionally with a {@link
   *     KafkaUnavailableException} when it aborted, the deadline passed first, too many requests
   *     are waiting, or the writer is closing
   */
  CompletableFuture<Void> write(List<ProducerRecord<byte[], byte[]>> records, long deadline) {
    if (closed) {
      return CompletableFuture.failedFuture(
          KafkaEventWriter.unavailable("the service is shutting down", null));
    }
    Pending pending = new Pending(records, deadline, new CompletableFuture<>());
    if (!queue.offer(pending)) {
      return CompletableFuture.failedFuture(
          KafkaEventWriter.unavailable(
              "too many batch requests are waiting for a transaction", null));
    }
    // The committer bounds its own work by the producer timeouts derived from the deadline; this
    // timer only covers a committer that was itself descheduled. A transaction that still commits
    // afterwards has had its request answered 503 with an unknown outcome: the client retries
    // with the same event ids, and enrich de-duplicates.
    return KafkaEventWriter.within(
        pending.done,
        KafkaEventWriter.remainingMillis(deadline) + 1000,
        "the batch transaction did not finish in time");
  }

  private void commitLoop() {
    Pending carried = null;
    while (true) {
      Pending first = carried;
      carried = null;
      if (first == null) {
        try {
          first = queue.poll(IDLE_POLL_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        if (first == null) {
          if (closed) {
            return;
          }
          continue;
        }
      }
      List<Pending> group = new ArrayList<>();
      int records = 0;
      for (Pending next = first; next != null; next = queue.poll()) {
        if (!group.isEmpty() && records + next.records.size() > maxRecords) {
          carried = next;
          break;
        }
        if (next.done.isDone()) {
          continue; // already answered: timed out while queued
        }
        if (KafkaEventWriter.remainingMillis(next.deadline) == 0) {
          next.done.completeExceptionally(
              KafkaEventWriter.unavailable(
                  "the write deadline passed before a transaction was free", null));
          continue;
        }
        group.add(next);
        records += next.records.size();
        if (records >= maxRecords) {
          break;
        }
      }
      if (!group.isEmpty()) {
        commit(group);
      }
    }
  }

  private void commit(List<Pending> group) {
    // The group may start no later than its earliest deadline allows.
    long deadline = group.stream().mapToLong(Pending::deadline).min().orElseThrow();
    KafkaUnavailableException failure = null;
    Producer<byte[], byte[]> producer = null;
    try {
      producer = producers.createProducer();
      producer.beginTransaction();
      for (Pending pending : group) {
        for (ProducerRecord<byte[], byte[]> record : pending.records) {
          failIfFailed(producer.send(record));
        }
        if (KafkaEventWriter.remainingMillis(deadline) == 0) {
          throw new org.apache.kafka.common.errors.TimeoutException("write deadline passed");
        }
      }
      // Flushes and waits for every record: success means all of them were acknowledged.
      producer.commitTransaction();
      groupSizes.accept(group.size());
    } catch (RuntimeException e) {
      if (producer == null) {
        failure =
            KafkaEventWriter.unavailable("no transactional producer could be initialized", e);
      } else if (abortQuietly(producer)) {
        failure = KafkaEventWriter.unavailable("the batch transaction failed and was aborted", e);
      } else {
        // Typically a commit that timed out: it may still complete, and it can no longer be
        // aborted.
        failure =
            KafkaEventWriter.unknownOutcome(
                "the batch transaction failed and could not be aborted", e);
      }
    } finally {
      if (producer != null) {
        // Back to the pool; a producer that failed is closed for good instead, and closing
        // aborts a transaction the coordinator still holds open.
        producer.close();
      }
    }
    for (Pending pending : group) {
      if (failure == null) {
        pending.done.complete(null);
      } else {
        pending.done.completeExceptionally(failure);
      }
    }
  }

  /**
   * A send that failed at once (typically no metadata within {@code max.block.ms}) dooms the
   * transaction; stopping here keeps every further send from waiting as long again.
   */
  private static void failIfFailed(Future<RecordMetadata> ack) {
    if (!ack.isDone()) {
      return;
    }
    try {
      ack.get();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof KafkaException kafka
          ? kafka
          : new KafkaException("send failed", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaException("interrupted", e);
    }
  }

  /** Whether the abort went through; if not, the producer is closed and the coordinator decides. */
  private static boolean abortQuietly(Producer<byte[], byte[]> producer) {
    try {
      producer.abortTransaction();
      return true;
    } catch (RuntimeException e) {
      log.debug("abort failed; the producer is closed and the coordinator decides", e);
      return false;
    }
  }

  /** Requests waiting for a committer. */
  int waiting() {
    return queue.size();
  }

  /**
   * Refuses new requests, lets the committers write what is queued, and waits for them up to
   * {@code timeoutMillis}.
   */
  void close(long timeoutMillis) {
    closed = true;
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    for (Thread committer : committers) {
      try {
        committer.join(Math.max(1, KafkaEventWriter.remainingMillis(deadline)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
