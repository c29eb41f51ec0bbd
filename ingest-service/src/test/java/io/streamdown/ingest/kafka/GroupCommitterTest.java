package io.streamdown.ingest.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.mock.MockProducerFactory;

/**
 * Group commit with one committer whose first transaction is held open until the test lets it go,
 * so the requests that arrive meanwhile are known to queue behind it.
 */
class GroupCommitterTest {

  private final CountDownLatch firstTransactionMayStart = new CountDownLatch(1);
  private final AtomicInteger producersCreated = new AtomicInteger();
  private final List<MockProducer<byte[], byte[]>> producers = new CopyOnWriteArrayList<>();
  private final List<Integer> groupSizes = new CopyOnWriteArrayList<>();
  private volatile KafkaException sendFailure;

  private final MockProducerFactory<byte[], byte[]> factory =
      new MockProducerFactory<>(
          (tx, prefix) -> {
            // Read before waiting: a failure set while the first transaction is held is meant
            // for the next one.
            KafkaException failure = sendFailure;
            if (producersCreated.getAndIncrement() == 0) {
              awaitQuietly(firstTransactionMayStart);
            }
            MockProducer<byte[], byte[]> producer =
                new MockProducer<>(
                    true, null, new ByteArraySerializer(), new ByteArraySerializer());
            producer.initTransactions();
            producer.sendException = failure;
            producers.add(producer);
            return producer;
          },
          "tx-");

  private final GroupCommitter committer =
      new GroupCommitter(factory, 1, 5000, 100, groupSizes::add);

  @AfterEach
  void close() {
    firstTransactionMayStart.countDown();
    committer.close(1000);
  }

  private static List<ProducerRecord<byte[], byte[]>> request(String name, int records) {
    List<ProducerRecord<byte[], byte[]>> list = new ArrayList<>();
    for (int i = 0; i < records; i++) {
      list.add(new ProducerRecord<>("t", (name + "-" + i).getBytes(), new byte[] {1}));
    }
    return list;
  }

  private CompletableFuture<Void> writeAsync(String name, int records, Duration deadline) {
    long due = System.nanoTime() + deadline.toNanos();
    return committer.write(request(name, records), due);
  }

  /** The first request is taken and its transaction is held; the test waits for that. */
  private CompletableFuture<Void> holdFirstTransaction() {
    CompletableFuture<Void> first = writeAsync("first", 2, Duration.ofSeconds(10));
    await().atMost(Duration.ofSeconds(5)).until(() -> producersCreated.get() == 1);
    return first;
  }

  private static List<String> keys(MockProducer<byte[], byte[]> producer) {
    return producer.history().stream().map(r -> new String(r.key())).toList();
  }

  @Test
  void requestsThatArriveDuringATransactionShareTheNextOne() throws Exception {
    CompletableFuture<Void> first = holdFirstTransaction();
    List<CompletableFuture<Void>> later = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      later.add(writeAsync("r" + i, 3, Duration.ofSeconds(10)));
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> committer.waiting() == 4);

    firstTransactionMayStart.countDown();
    first.get(5, TimeUnit.SECONDS);
    CompletableFuture.allOf(later.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);

    assertThat(groupSizes).containsExactly(1, 4);
    assertThat(producers).hasSize(2);
    assertThat(producers.get(0).commitCount()).isEqualTo(1);
    assertThat(keys(producers.get(0))).containsExactly("first-0", "first-1");
    MockProducer<byte[], byte[]> shared = producers.get(1);
    assertThat(shared.commitCount()).isEqualTo(1);
    assertThat(shared.history()).hasSize(12);
    // Each request's records stay together and in order within the shared transaction.
    List<String> keys = keys(shared);
    for (int start = 0; start < 12; start += 3) {
      String request = keys.get(start).substring(0, 2);
      assertThat(keys.subList(start, start + 3))
          .containsExactly(request + "-0", request + "-1", request + "-2");
    }
  }

  @Test
  void aGroupIsNotExtendedBeyondTheRecordLimit() throws Exception {
    GroupCommitter small = new GroupCommitter(factory, 1, 5, 100, groupSizes::add);
    try {
      producersCreated.set(1);
      firstTransactionMayStart.countDown();
      List<CompletableFuture<Void>> writes = new ArrayList<>();
      long due = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      for (int i = 0; i < 6; i++) {
        String name = "r" + i;
        writes.add(small.write(request(name, 2), due));
      }
      CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);

      assertThat(groupSizes).allSatisfy(size -> assertThat(size).isBetween(1, 2));
      assertThat(groupSizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(6);
      assertThat(producers).allSatisfy(p -> assertThat(p.history().size()).isLessThanOrEqualTo(4));
    } finally {
      small.close(1000);
    }
  }

  @Test
  void aRequestWhoseDeadlinePassedInTheQueueIsFailedWithoutBeingSent() throws Exception {
    CompletableFuture<Void> first = holdFirstTransaction();
    long lateDeadline = System.nanoTime() + Duration.ofMillis(200).toNanos();
    CompletableFuture<Void> late = committer.write(request("late", 2), lateDeadline);
    await().atMost(Duration.ofSeconds(5)).until(() -> committer.waiting() == 1);
    // The late request's deadline passes while it is queued behind the held transaction.
    await().atMost(Duration.ofSeconds(5)).until(() -> System.nanoTime() > lateDeadline);

    firstTransactionMayStart.countDown();
    first.get(5, TimeUnit.SECONDS);

    assertThatThrownBy(() -> late.get(5, TimeUnit.SECONDS))
        .hasCauseInstanceOf(KafkaUnavailableException.class)
        .hasMessageContaining("deadline passed");
    assertThat(producers).allSatisfy(p -> assertThat(keys(p)).noneMatch(k -> k.startsWith("late")));
    assertThat(groupSizes).containsExactly(1);
  }

  @Test
  void anAbortedTransactionFailsEveryRequestOfItsGroup() throws Exception {
    CompletableFuture<Void> first = holdFirstTransaction();
    CompletableFuture<Void> a = writeAsync("a", 2, Duration.ofSeconds(10));
    CompletableFuture<Void> b = writeAsync("b", 2, Duration.ofSeconds(10));
    await().atMost(Duration.ofSeconds(5)).until(() -> committer.waiting() == 2);
    sendFailure = new KafkaException("broker gone");

    firstTransactionMayStart.countDown();
    first.get(5, TimeUnit.SECONDS);

    for (CompletableFuture<Void> failed : List.of(a, b)) {
      assertThatThrownBy(() -> failed.get(5, TimeUnit.SECONDS))
          .cause()
          .isInstanceOfSatisfying(
              KafkaUnavailableException.class, e -> assertThat(e.outcomeUnknown()).isFalse());
    }
    MockProducer<byte[], byte[]> aborted = producers.get(1);
    assertThat(aborted.transactionAborted()).isTrue();
    assertThat(aborted.commitCount()).isZero();
    assertThat(aborted.history()).isEmpty();
    assertThat(groupSizes).containsExactly(1);
  }

  @Test
  void aCommitThatTimedOutAndCannotBeAbortedHasAnUnknownOutcome() throws Exception {
    MockProducerFactory<byte[], byte[]> stuck =
        MockTransactionalProducers.factory(
            producer -> {
              // As a real producer after a commit timed out: the commit may still complete, and
              // it refuses to abort.
              producer.commitTransactionException =
                  new org.apache.kafka.common.errors.TimeoutException("commit timed out");
              producer.abortTransactionException =
                  new KafkaException("cannot abort: the commit must be retried");
            });
    GroupCommitter unsure = new GroupCommitter(stuck, 1, 5000, 100, groupSizes::add);
    try {
      CompletableFuture<Void> write =
          unsure.write(request("x", 2), System.nanoTime() + Duration.ofSeconds(10).toNanos());

      assertThatThrownBy(() -> write.get(5, TimeUnit.SECONDS))
          .cause()
          .isInstanceOfSatisfying(
              KafkaUnavailableException.class,
              e -> {
                assertThat(e.outcomeUnknown()).isTrue();
                assertThat(e.getMessage()).contains("could not be aborted");
              });
      assertThat(groupSizes).isEmpty();
    } finally {
      unsure.close(1000);
    }
  }

  @Test
  void afterCloseNewRequestsAreRefused() {
    firstTransactionMayStart.countDown();
    committer.close(1000);

    CompletableFuture<Void> refused =
        committer.write(request("x", 1), System.nanoTime() + 1_000_000_000L);

    assertThat(refused).isCompletedExceptionally();
    assertThatThrownBy(refused::join)
        .hasCauseInstanceOf(KafkaUnavailableException.class)
        .hasMessageContaining("shutting down");
  }

  @Test
  void aFullQueueRefusesAtOnceWithoutHoldingTheCaller() throws Exception {
    GroupCommitter tiny = new GroupCommitter(factory, 1, 5000, 1, groupSizes::add);
    try {
      long due = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      CompletableFuture<Void> held = tiny.write(request("held", 2), due);
      await().atMost(Duration.ofSeconds(5)).until(() -> producersCreated.get() == 1);
      CompletableFuture<Void> queued = tiny.write(request("queued", 2), due);

      CompletableFuture<Void> refused = tiny.write(request("refused", 2), due);

      assertThat(refused).isCompletedExceptionally();
      assertThatThrownBy(refused::join)
          .hasCauseInstanceOf(KafkaUnavailableException.class)
          .hasMessageContaining("too many");
      firstTransactionMayStart.countDown();
      held.get(5, TimeUnit.SECONDS);
      queued.get(5, TimeUnit.SECONDS);
      assertThat(producers)
          .allSatisfy(p -> assertThat(keys(p)).noneMatch(k -> k.startsWith("refused")));
    } finally {
      tiny.close(1000);
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
