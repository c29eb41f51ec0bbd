package io.streamdown.query.query;

import io.streamdown.schemas.GroupKey;
import io.streamdown.schemas.WindowAggregate;
import java.util.List;

/**
 * The top groups of one window.
 *
 * @param windowStart the window's start, null when the view has no window yet
 * @param windowEnd the window's end (exclusive), null likewise
 * @param entries the groups, best first
 */
public record TopWindow(Long windowStart, Long windowEnd, List<Entry> entries) {

  public TopWindow {
    entries = List.copyOf(entries);
  }

  /** No window to rank. */
  public static TopWindow none() {
    return new TopWindow(null, null, List.of());
  }

  /** One ranked group. */
  public record Entry(GroupKey key, WindowAggregate aggregate) {}
}
