package io.streamdown.aggregate.streams;

import io.streamdown.schemas.WindowAggregate;
import java.util.Map;

/**
 * The steps of building a {@link WindowAggregate} inside a Kafka Streams window aggregation, whose
 * initializer knows neither the group nor the window. The stored aggregate starts with the view
 * and placeholder bounds (0, 0), gains its group with its first event, and receives its real
 * window bounds when it leaves the store (from the {@code Windowed} key). In the window store the
 * store's own window key is the authority on bounds.
 */
final class WindowAggregates {

  private WindowAggregates() {}

  /** The initial aggregate of any window of {@code view}. */
  static WindowAggregate initial(String view) {
    return WindowAggregate.empty(view, Map.of(), 0L, 0L);
  }

  /** The same aggregate for the given group and window. */
  static WindowAggregate locate(
      WindowAggregate aggregate,
      String view,
      Map<String, String> group,
      long windowStart,
      long windowEnd) {
    return new WindowAggregate(
        view,
        group,
        windowStart,
        windowEnd,
        aggregate.count(),
        aggregate.valueCount(),
        aggregate.sum(),
        aggregate.min(),
        aggregate.max(),
        aggregate.firstEventTime(),
        aggregate.lastEventTime(),
        aggregate.lastIngestTime(),
        aggregate.sketch());
  }

  /**
   * Two sessions' aggregates merged into one. Either may be the initializer's empty aggregate,
   * which has no group yet: the other one then stands for both, so the group survives the merge.
   */
  static WindowAggregate merge(WindowAggregate left, WindowAggregate right) {
    if (left.count() == 0) {
      return right;
    }
    if (right.count() == 0) {
      return left;
    }
    return left.merge(right);
  }
}
