package io.streamdown.support;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.StateRestoreListener;

/**
 * Knows which state store partitions of this instance's active tasks are being restored from
 * their changelogs right now, and how far along each is. Kafka Streams reports restoration of
 * active tasks only (standby tasks catch up continuously and are not waited for), which is what
 * readiness needs: an active task that restores cannot be queried or process input.
 *
 * <p>Registered with the Streams client as part of the {@link StateRestoreListener} every Streams
 * service gets; other listeners are beans of that type and receive the same callbacks.
 */
public final class RestoreTracker implements StateRestoreListener {

  /**
   * One store partition being restored.
   *
   * @param store the state store
   * @param changelog the changelog partition it is restored from
   * @param restored records restored so far
   * @param remaining offsets still to restore (end offset at the start minus the position)
   */
  public record Restoring(String store, TopicPartition changelog, long restored, long remaining) {}

  private record Progress(String store, long endOffset, long position, long restored) {}

  private final Map<TopicPartition, Progress> restoring = new ConcurrentHashMap<>();
  private final AtomicLong completed = new AtomicLong();

  @Override
  public void onRestoreStart(
      TopicPartition partition, String storeName, long startingOffset, long endingOffset) {
    restoring.put(partition, new Progress(storeName, endingOffset, startingOffset, 0));
  }

  @Override
  public void onBatchRestored(
      TopicPartition partition, String storeName, long batchEndOffset, long numRestored) {
    restoring.computeIfPresent(
        partition,
        (p, progress) ->
            new Progress(
                progress.store(),
                progress.endOffset(),
                batchEndOffset,
                progress.restored() + numRestored));
  }

  @Override
  public void onRestoreEnd(TopicPartition partition, String storeName, long totalRestored) {
    restoring.remove(partition);
    completed.incrementAndGet();
  }

  @Override
  public void onRestoreSuspended(TopicPartition partition, String storeName, long totalRestored) {
    // The task moved to another instance before it was restored: nothing left to wait for here.
    restoring.remove(partition);
  }

  /** The store partitions restoring right now, ordered by changelog partition. */
  public List<Restoring> restoring() {
    return restoring.entrySet().stream()
        .map(
            entry ->
                new Restoring(
                    entry.getValue().store(),
                    entry.getKey(),
                    entry.getValue().restored(),
                    Math.max(0, entry.getValue().endOffset() - entry.getValue().position())))
        .sorted(
            Comparator.comparing((Restoring r) -> r.changelog().topic())
                .thenComparingInt(r -> r.changelog().partition()))
        .toList();
  }

  /** How many store partitions finished restoring since this instance started. */
  public long restoresCompleted() {
    return completed.get();
  }
}
