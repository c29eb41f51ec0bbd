package io.streamdown.query.api;

/**
 * Which instance answered and how: {@code route} is {@code local} (this instance's store),
 * {@code routed} (forwarded to the instance holding the key) or {@code scatter} (every instance
 * asked, merged here). {@code stale} and {@code lagOffsets} describe a read of a standby replica
 * or a restoring store: how many changelog offsets it was behind.
 */
record ServedBy(String instance, String route, boolean stale, long lagOffsets) {

  static final String LOCAL = "local";
  static final String ROUTED = "routed";
  static final String SCATTER = "scatter";

  static ServedBy fresh(String instance, String route) {
    return new ServedBy(instance, route, false, 0);
  }
}
