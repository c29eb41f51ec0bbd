package io.streamdown.schemas;

/** When a view writes a window's aggregate to the {@code aggregates} topic. */
public enum EmitMode {
  /** On every change, as often as the commit interval and the record cache allow. */
  UPDATES,
  /** Once, when the window closes (its end plus grace has passed in stream time). */
  FINAL
}
