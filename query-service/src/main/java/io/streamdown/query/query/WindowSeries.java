package io.streamdown.query.query;

import io.streamdown.schemas.WindowAggregate;
import java.util.List;

/**
 * The windows of one group in a range, oldest first.
 *
 * @param windows the aggregates, by window start
 * @param truncated whether older windows of the range were left out to stay within the limit
 */
public record WindowSeries(List<WindowAggregate> windows, boolean truncated) {

  public WindowSeries {
    windows = List.copyOf(windows);
  }
}
