package io.streamdown.aggregate.streams;

import io.streamdown.schemas.ViewDefinition;
import io.streamdown.schemas.WindowSpec;
import io.streamdown.schemas.WindowType;
import org.apache.kafka.streams.kstream.SessionWindows;
import org.apache.kafka.streams.kstream.SlidingWindows;
import org.apache.kafka.streams.kstream.TimeWindows;

/** The Kafka Streams windows of a view, with the view's grace. */
public final class ViewWindows {

  private ViewWindows() {}

  /** Tumbling or hopping windows. */
  public static TimeWindows of(ViewDefinition view) {
    WindowSpec window = view.window();
    requireType(view, WindowType.TUMBLING, WindowType.HOPPING);
    TimeWindows windows = TimeWindows.ofSizeAndGrace(window.size(), view.grace());
    return window.type() == WindowType.HOPPING ? windows.advanceBy(window.advance()) : windows;
  }

  /** Sliding windows; the view's size is their time difference. */
  public static SlidingWindows sliding(ViewDefinition view) {
    requireType(view, WindowType.SLIDING);
    return SlidingWindows.ofTimeDifferenceAndGrace(view.window().size(), view.grace());
  }

  /** Sessions with the view's inactivity gap. */
  public static SessionWindows session(ViewDefinition view) {
    requireType(view, WindowType.SESSION);
    return SessionWindows.ofInactivityGapAndGrace(view.window().gap(), view.grace());
  }

  private static void requireType(ViewDefinition view, WindowType... types) {
    for (WindowType type : types) {
      if (view.window().type() == type) {
        return;
      }
    }
    throw new IllegalArgumentException(
        "view '" + view.name() + "' has " + view.window().type() + " windows");
  }
}
