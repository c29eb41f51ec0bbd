package io.streamdown.query.cluster;

import java.util.Objects;
import java.util.Set;

/**
 * Where a key lives: its partition of the view store, the instance with the active task of that
 * partition and those with a standby replica.
 *
 * @param active null when no instance holds the active task right now (rebalancing)
 */
public record KeyPlacement(int partition, Instance active, Set<Instance> standbys) {

  public KeyPlacement {
    if (partition < 0) {
      throw new IllegalArgumentException("partition must not be negative: " + partition);
    }
    standbys = Set.copyOf(Objects.requireNonNull(standbys, "standbys"));
  }
}
