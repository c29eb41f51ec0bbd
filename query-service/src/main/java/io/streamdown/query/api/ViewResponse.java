package io.streamdown.query.api;

import io.streamdown.schemas.ViewDefinition;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * A configured view as {@code GET /api/v1/views} shows it. Durations are ISO-8601 strings
 * ({@code PT1M}, {@code PT24H}).
 */
record ViewResponse(
    String name,
    List<String> groupBy,
    Window window,
    String grace,
    String emit,
    String retention) {

  /**
   * The view's window: {@code tumbling}, {@code hopping} (size, advance), {@code sliding} (size:
   * the time difference) or {@code session} (gap); parameters a kind lacks are null.
   */
  record Window(String type, String size, String advance, String gap) {}

  static ViewResponse of(ViewDefinition view) {
    return new ViewResponse(
        view.name(),
        view.groupBy(),
        new Window(
            view.window().type().name().toLowerCase(Locale.ROOT),
            text(view.window().size()),
            text(view.window().advance()),
            text(view.window().gap())),
        view.grace().toString(),
        view.emit().name().toLowerCase(Locale.ROOT),
        view.retention().toString());
  }

  private static String text(Duration duration) {
    return duration == null ? null : duration.toString();
  }
}
