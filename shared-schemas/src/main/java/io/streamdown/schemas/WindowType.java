package io.streamdown.schemas;

/** The kinds of window a view can use. */
public enum WindowType {
  /** Fixed-size, non-overlapping windows aligned to the epoch. */
  TUMBLING,
  /** Fixed-size windows that start every {@code advance}; an event is in size/advance windows. */
  HOPPING
}
