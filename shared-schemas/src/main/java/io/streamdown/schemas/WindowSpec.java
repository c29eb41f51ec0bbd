package io.streamdown.schemas;

import java.time.Duration;
import java.util.Objects;

/**
 * The window of a view.
 *
 * @param type tumbling or hopping
 * @param size window length
 * @param advance for hopping windows, how far each window starts after the previous one; equal
 *     to {@code size} (or absent) for tumbling windows
 */
public record WindowSpec(WindowType type, Duration size, Duration advance) {

  public WindowSpec {
    type = type == null ? WindowType.TUMBLING : type;
    Objects.requireNonNull(size, "window.size is required");
    if (size.isZero() || size.isNegative()) {
      throw new IllegalArgumentException("window.size must be positive");
    }
    if (type == WindowType.TUMBLING) {
      if (advance != null && !advance.equals(size)) {
        throw new IllegalArgumentException("a tumbling window has no advance other than its size");
      }
      advance = size;
    } else {
      Objects.requireNonNull(advance, "window.advance is required for a hopping window");
      if (advance.isZero() || advance.isNegative() || advance.compareTo(size) > 0) {
        throw new IllegalArgumentException("window.advance must be positive and at most size");
      }
    }
  }

  public static WindowSpec tumbling(Duration size) {
    return new WindowSpec(WindowType.TUMBLING, size, size);
  }

  public static WindowSpec hopping(Duration size, Duration advance) {
    return new WindowSpec(WindowType.HOPPING, size, advance);
  }
}
