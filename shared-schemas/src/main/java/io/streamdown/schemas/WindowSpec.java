package io.streamdown.schemas;

import java.time.Duration;
import java.util.Objects;

/**
 * The window of a view.
 *
 * <p>Which components apply depends on the type; the ones that do not apply must be absent and
 * read as null:
 *
 * <ul>
 *   <li>{@code tumbling}: {@code size}; {@code advance} is absent or equals {@code size}.
 *   <li>{@code hopping}: {@code size} and {@code advance}.
 *   <li>{@code sliding}: {@code size}, the time difference of Kafka Streams' {@code
 *       SlidingWindows} (a window spans {@code size} plus the millisecond it starts at).
 *   <li>{@code session}: {@code gap}, the inactivity gap that closes a session.
 * </ul>
 *
 * @param type tumbling (default), hopping, sliding or session
 * @param size window length; the time difference of a sliding window; null for sessions
 * @param advance for hopping windows, how far each window starts after the previous one; equal
 *     to {@code size} for tumbling windows; null for sliding windows and sessions
 * @param gap for sessions, the inactivity gap; null otherwise
 */
// One constructor only: configuration binding (Spring) constructs records through their single
// constructor and falls back to setters, which a record lacks, when there are several.
public record WindowSpec(WindowType type, Duration size, Duration advance, Duration gap) {

  public WindowSpec {
    type = type == null ? WindowType.TUMBLING : type;
    if (type == WindowType.SESSION) {
      if (size != null || advance != null) {
        throw new IllegalArgumentException("a session window has a gap, no size or advance");
      }
      Objects.requireNonNull(gap, "window.gap is required for a session window");
      requirePositive(gap, "window.gap");
    } else {
      if (gap != null) {
        throw new IllegalArgumentException("only a session window has a gap");
      }
      Objects.requireNonNull(size, "window.size is required");
      requirePositive(size, "window.size");
      switch (type) {
        case TUMBLING -> {
          if (advance != null && !advance.equals(size)) {
            throw new IllegalArgumentException(
                "a tumbling window has no advance other than its size");
          }
          advance = size;
        }
        case HOPPING -> {
          Objects.requireNonNull(advance, "window.advance is required for a hopping window");
          if (advance.isZero() || advance.isNegative() || advance.compareTo(size) > 0) {
            throw new IllegalArgumentException("window.advance must be positive and at most size");
          }
        }
        case SLIDING -> {
          if (advance != null) {
            throw new IllegalArgumentException(
                "a sliding window has no advance: it moves with the events");
          }
        }
        default -> throw new IllegalStateException("unexpected window type " + type);
      }
    }
  }

  public static WindowSpec tumbling(Duration size) {
    return new WindowSpec(WindowType.TUMBLING, size, size, null);
  }

  public static WindowSpec hopping(Duration size, Duration advance) {
    return new WindowSpec(WindowType.HOPPING, size, advance, null);
  }

  /** Sliding windows over events at most {@code timeDifference} apart. */
  public static WindowSpec sliding(Duration timeDifference) {
    return new WindowSpec(WindowType.SLIDING, timeDifference, null, null);
  }

  /** Sessions closed by {@code gap} of inactivity. */
  public static WindowSpec session(Duration gap) {
    return new WindowSpec(WindowType.SESSION, null, null, gap);
  }

  /**
   * The shortest store retention Kafka Streams accepts for these windows without grace: the size
   * of a time window, twice the time difference of a sliding window (its aggregation keeps the
   * windows a new event may still have to combine), the gap of a session.
   */
  public Duration minimumRetention() {
    return switch (type) {
      case TUMBLING, HOPPING -> size;
      case SLIDING -> size.multipliedBy(2);
      case SESSION -> gap;
    };
  }

  private static void requirePositive(Duration duration, String name) {
    if (duration.isZero() || duration.isNegative()) {
      throw new IllegalArgumentException(name + " must be positive");
    }
  }
}
