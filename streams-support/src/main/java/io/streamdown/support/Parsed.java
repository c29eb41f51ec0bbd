package io.streamdown.support;

/**
 * The outcome of parsing one input record: a value, or the original bytes of a record that
 * failed (its dead-letter headers are on the record itself).
 */
public record Parsed<T>(T value, byte[] raw, boolean failed) {

  static <T> Parsed<T> ok(T value) {
    return new Parsed<>(value, null, false);
  }

  static <T> Parsed<T> failed(byte[] raw) {
    return new Parsed<>(null, raw, true);
  }
}
