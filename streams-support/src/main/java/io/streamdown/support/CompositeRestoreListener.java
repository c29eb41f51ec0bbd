package io.streamdown.support;

import java.util.List;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.StateRestoreListener;

/**
 * Hands Kafka Streams' restore callbacks to several listeners, since a Streams client takes only
 * one. Every {@link StateRestoreListener} bean of a Streams service (the {@link RestoreTracker}
 * and any of the service's own) is registered this way; services add a bean rather than calling
 * {@code StreamsBuilderFactoryBean.setStateRestoreListener}, which would replace them all.
 */
final class CompositeRestoreListener implements StateRestoreListener {

  private final Supplier<List<StateRestoreListener>> source;
  private volatile List<StateRestoreListener> resolved;

  CompositeRestoreListener(List<StateRestoreListener> listeners) {
    this(() -> listeners);
  }

  /**
   * @param source the listeners, asked once at the first callback (restoration starts after the
   *     application context is up, so listener beans may depend on the Streams client themselves)
   */
  CompositeRestoreListener(Supplier<List<StateRestoreListener>> source) {
    this.source = source;
  }

  private List<StateRestoreListener> listeners() {
    List<StateRestoreListener> current = resolved;
    if (current == null) {
      current = List.copyOf(source.get());
      resolved = current;
    }
    return current;
  }

  @Override
  public void onRestoreStart(
      TopicPartition partition, String storeName, long startingOffset, long endingOffset) {
    listeners().forEach(l -> l.onRestoreStart(partition, storeName, startingOffset, endingOffset));
  }

  @Override
  public void onBatchRestored(
      TopicPartition partition, String storeName, long batchEndOffset, long numRestored) {
    listeners().forEach(l -> l.onBatchRestored(partition, storeName, batchEndOffset, numRestored));
  }

  @Override
  public void onRestoreEnd(TopicPartition partition, String storeName, long totalRestored) {
    listeners().forEach(l -> l.onRestoreEnd(partition, storeName, totalRestored));
  }

  @Override
  public void onRestoreSuspended(TopicPartition partition, String storeName, long totalRestored) {
    listeners().forEach(l -> l.onRestoreSuspended(partition, storeName, totalRestored));
  }
}
