package io.streamdown.query.cluster;

/**
 * This instance's copy of one partition of a view store.
 *
 * @param active whether it is the active task's store (otherwise a standby replica)
 * @param lagOffsets how many changelog offsets the copy is behind (0 for a running active task,
 *     {@link #UNKNOWN_LAG} before the copy has reported any)
 */
public record LocalReplica(boolean active, long lagOffsets) {

  /** The lag of a copy that has not reported one yet (it may hold nothing at all). */
  public static final long UNKNOWN_LAG = Long.MAX_VALUE;

  /** Whether the copy has reported how far behind it is. */
  public boolean lagKnown() {
    return lagOffsets != UNKNOWN_LAG;
  }

  /** Whether a read from it may miss recent updates (a standby, or a restoring active task). */
  public boolean stale() {
    return !active || lagOffsets > 0;
  }
}
