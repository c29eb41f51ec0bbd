package io.streamdown.query.api;

import java.time.Instant;

/** Epoch millis as the RFC 3339 text of the API (UTC, e.g. {@code 2025-01-01T12:00:00Z}). */
final class Times {

  private Times() {}

  static String format(long epochMillis) {
    return Instant.ofEpochMilli(epochMillis).toString();
  }

  /** Event-time bounds of an aggregate; the sentinels of a window without events give null. */
  static String formatEventTime(long epochMillis) {
    return epochMillis == Long.MIN_VALUE || epochMillis == Long.MAX_VALUE
        ? null
        : format(epochMillis);
  }
}
