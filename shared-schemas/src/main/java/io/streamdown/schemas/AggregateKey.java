package io.streamdown.schemas;

import java.util.List;

/**
 * Key of a record on the {@code aggregates} topic: one window of one group of one view. The topic
 * is compacted on this key, so the latest aggregate of each window survives.
 *
 * <p>A session is keyed by its start too: the sessions of a group never overlap, so no two share a
 * start. When sessions merge, the superseded ones get a tombstone on their own key and the merged
 * session a value on its key (its start is the earliest of the starts).
 *
 * <p>Records are partitioned by view and group only ({@link AggregatePartitioner}), so all the
 * windows of a group live in one partition and a range query touches one instance.
 */
public record AggregateKey(String view, List<String> group, long windowStart) {

  public AggregateKey {
    group = List.copyOf(group);
  }

  public GroupKey groupKey() {
    return new GroupKey(group);
  }
}
