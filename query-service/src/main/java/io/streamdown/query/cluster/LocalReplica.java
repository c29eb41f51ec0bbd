package io.streamdown.query.cluster;

/**
 * This instance's copy of one partition of a view store.
 *
 * @param active whether it is the active task's store (otherwise a standby replica)
 * @param lagOffsets how many changelog offsets the copy is behind (0 for a running active task)
 */
public record LocalReplica(boolean active, long lagOffsets) {

  /** Whether a read from it may miss recent updates (a standby, or a restoring active task). */
  public boolean stale() {
    return !active || lagOffsets > 0;
  }
}
