package io.streamdown.schemas;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.processor.StreamPartitioner;

/**
 * Partitions aggregates by view and group, ignoring the window: every window of a group lands in
 * the same partition. Writers of the {@code aggregates} topic and readers that locate a group's
 * owner (interactive queries) must both use this function.
 */
public final class AggregatePartitioner {

  private AggregatePartitioner() {}

  /** The partition of a group of a view, among {@code numPartitions}. */
  public static int partition(String view, String encodedGroupKey, int numPartitions) {
    byte[] bytes = (view + '\u0000' + encodedGroupKey).getBytes(StandardCharsets.UTF_8);
    return Utils.toPositive(Utils.murmur2(bytes)) % numPartitions;
  }

  /** For {@code to(aggregates)}: keys are {@link AggregateKey}. */
  public static <V> StreamPartitioner<AggregateKey, V> forAggregateKeys() {
    return (topic, key, value, numPartitions) ->
        Optional.of(Set.of(partition(key.view(), key.groupKey().encode(), numPartitions)));
  }

  /** For a store of one view whose keys are encoded {@link GroupKey}s. */
  public static <V> StreamPartitioner<String, V> forGroupKeysOf(String view) {
    return (topic, key, value, numPartitions) ->
        Optional.of(Set.of(partition(view, key, numPartitions)));
  }
}
