package io.streamdown.query.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Limits and hints of the query API.
 *
 * @param retryAfter what a 503 tells clients to wait (Retry-After, whole seconds, at least 1)
 *     while the stores are not queryable (start-up, restoration, rebalancing)
 * @param maxRange the longest {@code from}..{@code to} range one request may ask for
 * @param maxWindows the most windows one {@code windows} response carries (the newest are kept)
 * @param defaultTopLimit entries of a {@code top} response when no {@code limit} is given
 * @param maxTopLimit the largest {@code limit} a {@code top} request may ask for
 */
@ConfigurationProperties("streamdown.query")
public record QuerySettings(
    @DefaultValue("2s") Duration retryAfter,
    @DefaultValue("7d") Duration maxRange,
    @DefaultValue("10000") int maxWindows,
    @DefaultValue("10") int defaultTopLimit,
    @DefaultValue("1000") int maxTopLimit) {

  public QuerySettings {
    if (retryAfter == null || retryAfter.isNegative()) {
      throw new IllegalArgumentException("streamdown.query.retry-after must not be negative");
    }
    if (maxRange == null || maxRange.isZero() || maxRange.isNegative()) {
      throw new IllegalArgumentException("streamdown.query.max-range must be positive");
    }
    if (maxWindows < 1) {
      throw new IllegalArgumentException("streamdown.query.max-windows must be at least 1");
    }
    if (maxTopLimit < 1 || defaultTopLimit < 1 || defaultTopLimit > maxTopLimit) {
      throw new IllegalArgumentException(
          "streamdown.query.default-top-limit must be between 1 and max-top-limit");
    }
  }

  /** The defaults, as bound when nothing is configured. */
  public static QuerySettings defaults() {
    return new QuerySettings(Duration.ofSeconds(2), Duration.ofDays(7), 10_000, 10, 1000);
  }

  /** Retry-After in whole seconds, rounded up, at least 1. */
  public long retryAfterSeconds() {
    long seconds = retryAfter.toSeconds() + (retryAfter.toNanosPart() > 0 ? 1 : 0);
    return Math.max(1, seconds);
  }
}
