package io.streamdown.query;

import io.streamdown.schemas.AggregateKey;
import io.streamdown.schemas.Event;
import io.streamdown.schemas.Json;
import io.streamdown.schemas.ViewDefinition;
import io.streamdown.schemas.WindowAggregate;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/** Builds aggregates the way aggregate-service does: an empty window plus events. */
public final class Aggregates {

  private Aggregates() {}

  /** A window of {@code view} for {@code group} (values in field order) with these events. */
  public static WindowAggregate window(
      ViewDefinition view, List<String> group, long windowStart, List<Event> events) {
    Map<String, String> fields = new LinkedHashMap<>();
    for (int i = 0; i < view.groupBy().size(); i++) {
      fields.put(view.groupBy().get(i), group.get(i));
    }
    WindowAggregate aggregate =
        WindowAggregate.empty(
            view.name(), fields, windowStart, windowStart + view.window().size().toMillis());
    for (Event event : events) {
      aggregate = aggregate.plus(event);
    }
    return aggregate;
  }

  /** A window with one event per value, all at the window start, ingested at {@code ingest}. */
  public static WindowAggregate withValues(
      ViewDefinition view, List<String> group, long windowStart, long ingest, double... values) {
    List<Event> events =
        IntStream.range(0, values.length)
            .mapToObj(i -> event("e" + i, windowStart + i, values[i], ingest))
            .toList();
    return window(view, group, windowStart, events);
  }

  /** A window with {@code count} events without a value. */
  public static WindowAggregate withCount(
      ViewDefinition view, List<String> group, long windowStart, int count) {
    List<Event> events =
        IntStream.range(0, count)
            .mapToObj(i -> event("c" + i, windowStart + i, null, windowStart + i))
            .toList();
    return window(view, group, windowStart, events);
  }

  public static Event event(String id, long time, Double value, long ingestTime) {
    return new Event(id, "src", "temp", time, value, null, ingestTime);
  }

  /** The record key on {@code aggregates}: AggregateKey JSON text. */
  public static String keyText(WindowAggregate aggregate) {
    return new String(Json.write(aggregate.key()), StandardCharsets.UTF_8);
  }

  public static String keyText(String view, List<String> group, long windowStart) {
    return new String(
        Json.write(new AggregateKey(view, group, windowStart)), StandardCharsets.UTF_8);
  }
}
