package io.streamdown.aggregate.streams;

import io.streamdown.schemas.EmitMode;
import io.streamdown.schemas.ViewDefinition;
import io.streamdown.schemas.WindowSpec;
import io.streamdown.schemas.WindowType;
import java.time.Duration;
import org.apache.kafka.streams.kstream.SessionWindows;
import org.apache.kafka.streams.kstream.SlidingWindows;
import org.apache.kafka.streams.kstream.TimeWindows;

/** The Kafka Streams windows of a view, with the view's grace. */
public final class ViewWindows {

  private ViewWindows() {}

  /**
   * Tumbling or hopping windows. A view whose late events {@link LateEventFilter} drops by origin
   * ({@link #graceByOrigin}) gets the grace of {@link #storeGrace}, so that the aggregation accepts
   * whatever the filter lets through; any other view gets its own grace.
   */
  public static TimeWindows of(ViewDefinition view) {
    WindowSpec window = view.window();
    requireType(view, WindowType.TUMBLING, WindowType.HOPPING);
    TimeWindows windows =
        TimeWindows.ofSizeAndGrace(
            window.size(), graceByOrigin(view) ? storeGrace(view) : view.grace());
    return window.type() == WindowType.HOPPING ? windows.advanceBy(window.advance()) : windows;
  }

  /**
   * Whether the view's grace is measured against the slowest origin ({@link LateEventFilter}):
   * tumbling windows that emit updates. A hopping record can be late for some of its windows and
   * not others, which a filter in front of the aggregation cannot split; a final result is emitted
   * when Kafka Streams closes the window by its own grace. Those views keep Kafka's rule.
   */
  static boolean graceByOrigin(ViewDefinition view) {
    return view.window().type() == WindowType.TUMBLING && view.emit() == EmitMode.UPDATES;
  }

  /**
   * The longest grace the view's store allows: its retention less the window size (the view
   * requires retention >= size + grace, so it is never shorter than the view's grace).
   */
  static Duration storeGrace(ViewDefinition view) {
    return view.retention().minus(view.window().size());
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
