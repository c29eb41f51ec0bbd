package io.streamdown.schemas;

/** The kinds of window a view can use. */
public enum WindowType {
  /** Fixed-size, non-overlapping windows aligned to the epoch. */
  TUMBLING,
  /** Fixed-size windows that start every {@code advance}; an event is in size/advance windows. */
  HOPPING,
  /**
   * Per-group sessions: an event within {@code gap} of a session's events joins it, an event that
   * bridges two sessions merges them. A session starts at its first event and ends at its last.
   */
  SESSION,
  /**
   * Kafka Streams' sliding windows: fixed-size windows that exist where events are, one for each
   * distinct set of events whose times lie within {@code size} (the time difference) of each
   * other. Used for "the last N minutes, at every event".
   */
  SLIDING
}
