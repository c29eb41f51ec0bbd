package io.streamdown.schemas;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A configured view: which events group together, over which windows, and how long the results
 * stay queryable. Views are configuration, not code: aggregate-service computes every configured
 * view and query-service serves them, both reading the same {@code streamdown.views} list.
 *
 * @param name lower-case name, also part of store and topic names, so renaming a view starts it
 *     afresh
 * @param groupBy field paths whose values form the group key, in order
 * @param window the window
 * @param grace how long after a window's end late events are still added (default 0)
 * @param emit {@code updates} (default) or {@code final}
 * @param retention how long windows stay queryable (default 1 day; at least what Kafka Streams
 *     requires: {@link WindowSpec#minimumRetention()} + grace)
 */
public record ViewDefinition(
    String name,
    List<String> groupBy,
    WindowSpec window,
    Duration grace,
    EmitMode emit,
    Duration retention) {

  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

  public ViewDefinition {
    Objects.requireNonNull(name, "view name is required");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "view name '" + name + "' must be lower-case letters, digits and dashes (at most 63)");
    }
    if (groupBy == null || groupBy.isEmpty()) {
      throw new IllegalArgumentException("view '" + name + "' needs at least one groupBy field");
    }
    groupBy = List.copyOf(groupBy);
    groupBy.forEach(FieldPath::of);
    if (groupBy.stream().distinct().count() != groupBy.size()) {
      throw new IllegalArgumentException("view '" + name + "' repeats a groupBy field");
    }
    Objects.requireNonNull(window, "view '" + name + "' needs a window");
    grace = grace == null ? Duration.ZERO : grace;
    if (grace.isNegative()) {
      throw new IllegalArgumentException("view '" + name + "' has a negative grace");
    }
    emit = emit == null ? EmitMode.UPDATES : emit;
    Duration minimum = window.minimumRetention().plus(grace);
    retention = retention == null ? max(Duration.ofDays(1), minimum) : retention;
    if (retention.compareTo(minimum) < 0) {
      throw new IllegalArgumentException(
          "view '"
              + name
              + "' retention must be at least "
              + (window.type() == WindowType.SESSION
                  ? "window gap"
                  : window.type() == WindowType.SLIDING ? "twice the window size" : "window size")
              + " + grace ("
              + minimum
              + ")");
    }
  }

  public List<FieldPath> fieldPaths() {
    return groupBy.stream().map(FieldPath::of).toList();
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }
}
