package io.streamdown.schemas;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The aggregate of one window of one group of one view, as it travels on {@code aggregates} and
 * lives in the stores.
 *
 * <p>{@code count} counts every event of the window; {@code valueCount}, {@code sum},
 * {@code min}, {@code max}, the mean and the sketch cover the events that carried a value. The
 * sketch (DDSketch bytes, see {@link QuantileSketches}) is what makes quantiles of a roll-up over
 * any range correct: sketches merge, percentiles do not.
 *
 * @param view the view's name
 * @param group group-by field path to value, in the view's field order
 * @param windowStart window start, epoch millis, inclusive; of a session, its first event's time
 * @param windowEnd window end, epoch millis, exclusive; of a session, its last event's time
 *     (inclusive: a session is the closed interval of its events)
 * @param count events in the window
 * @param valueCount events in the window that carried a value
 * @param sum sum of values
 * @param min smallest value, null when no event carried one
 * @param max largest value, null when no event carried one
 * @param firstEventTime earliest event time seen in the window
 * @param lastEventTime latest event time seen in the window
 * @param lastIngestTime latest ingest time of an event in the window (for freshness)
 * @param sketch encoded quantile sketch of the values
 */
@JsonIgnoreProperties(
    value = {"mean"},
    allowGetters = true,
    ignoreUnknown = true)
public record WindowAggregate(
    String view,
    Map<String, String> group,
    long windowStart,
    long windowEnd,
    long count,
    long valueCount,
    double sum,
    Double min,
    Double max,
    long firstEventTime,
    long lastEventTime,
    long lastIngestTime,
    byte[] sketch) {

  /** A window with no events yet. */
  public static WindowAggregate empty(
      String view, Map<String, String> group, long windowStart, long windowEnd) {
    return new WindowAggregate(
        view,
        new LinkedHashMap<>(group),
        windowStart,
        windowEnd,
        0,
        0,
        0.0,
        null,
        null,
        Long.MAX_VALUE,
        Long.MIN_VALUE,
        Long.MIN_VALUE,
        QuantileSketches.emptyEncoded());
  }

  /** This aggregate with one more event. */
  public WindowAggregate plus(Event event) {
    long eventTime = event.time() == null ? 0L : event.time();
    return plus(
        eventTime, event.ingestTime() == null ? eventTime : event.ingestTime(), event.value());
  }

  /**
   * This aggregate with one more event of the given times and optional value: the count grows by
   * one, a finite value joins the value statistics and the sketch.
   */
  public WindowAggregate plus(long eventTime, long ingestTime, Double value) {
    long newValueCount = valueCount;
    double newSum = sum;
    Double newMin = min;
    Double newMax = max;
    byte[] newSketch = sketch;
    if (value != null && Double.isFinite(value)) {
      newValueCount++;
      newSum += value;
      newMin = min == null ? value : Math.min(min, value);
      newMax = max == null ? value : Math.max(max, value);
      DDSketch decoded = QuantileSketches.decode(sketch);
      decoded.accept(value);
      newSketch = QuantileSketches.encode(decoded);
    }
    return new WindowAggregate(
        view,
        group,
        windowStart,
        windowEnd,
        count + 1,
        newValueCount,
        newSum,
        newMin,
        newMax,
        Math.min(firstEventTime, eventTime),
        Math.max(lastEventTime, eventTime),
        Math.max(lastIngestTime, ingestTime),
        newSketch);
  }

  /**
   * Merges two aggregates of the same group into one spanning both windows (a roll-up). Counts
   * and sums add, extremes combine and the sketches merge, so quantiles stay within the sketch's
   * accuracy.
   */
  public WindowAggregate merge(WindowAggregate other) {
    DDSketch merged = QuantileSketches.decode(sketch);
    merged.mergeWith(QuantileSketches.decode(other.sketch));
    return new WindowAggregate(
        view,
        group,
        Math.min(windowStart, other.windowStart),
        Math.max(windowEnd, other.windowEnd),
        count + other.count,
        valueCount + other.valueCount,
        sum + other.sum,
        min == null ? other.min : other.min == null ? min : Math.min(min, other.min),
        max == null ? other.max : other.max == null ? max : Math.max(max, other.max),
        Math.min(firstEventTime, other.firstEventTime),
        Math.max(lastEventTime, other.lastEventTime),
        Math.max(lastIngestTime, other.lastIngestTime),
        QuantileSketches.encode(merged));
  }

  /** Mean of the values, null when no event carried one. */
  @JsonProperty("mean")
  public Double mean() {
    return valueCount == 0 ? null : sum / valueCount;
  }

  /**
   * The value at quantile {@code q} (0..1) within the sketch's relative accuracy, or null. It is
   * clamped to the exact min and max, which can only bring it closer to the true value and keeps
   * answers such as a p99 above the max out of sight.
   */
  public Double quantile(double q) {
    if (valueCount == 0) {
      return null;
    }
    double estimate = QuantileSketches.decode(sketch).getValueAtQuantile(q);
    if (min != null && estimate < min) {
      return min;
    }
    if (max != null && estimate > max) {
      return max;
    }
    return estimate;
  }

  @JsonIgnore
  public AggregateKey key() {
    return new AggregateKey(view, List.copyOf(group.values()), windowStart);
  }
}
