package io.streamdown.aggregate.streams;

import io.streamdown.schemas.ViewDefinition;
import io.streamdown.schemas.WindowSpec;
import io.streamdown.schemas.WindowType;
import org.apache.kafka.streams.kstream.TimeWindows;

/** The Kafka Streams windows of a view: tumbling or hopping, with the view's grace. */
public final class ViewWindows {

  private ViewWindows() {}

  public static TimeWindows of(ViewDefinition view) {
    WindowSpec window = view.window();
    TimeWindows windows = TimeWindows.ofSizeAndGrace(window.size(), view.grace());
    return window.type() == WindowType.HOPPING ? windows.advanceBy(window.advance()) : windows;
  }
}
