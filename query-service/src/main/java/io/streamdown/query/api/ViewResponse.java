package io.streamdown.query.api;

import io.streamdown.schemas.ViewDefinition;
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

  /** The view's window: {@code tumbling} or {@code hopping}, size and advance. */
  record Window(String type, String size, String advance) {}

  static ViewResponse of(ViewDefinition view) {
    return new ViewResponse(
        view.name(),
        view.groupBy(),
        new Window(
            view.window().type().name().toLowerCase(Locale.ROOT),
            view.window().size().toString(),
            view.window().advance().toString()),
        view.grace().toString(),
        view.emit().name().toLowerCase(Locale.ROOT),
        view.retention().toString());
  }
}
