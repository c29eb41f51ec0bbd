package io.streamdown.query.query;

import io.streamdown.schemas.WindowAggregate;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** What {@code top} ranks groups by, highest first. */
public enum TopMetric {
  COUNT,
  SUM,
  MAX,
  P99;

  /** The name used in the API, e.g. {@code p99}. */
  public String apiName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The metric of that API name (case-insensitive). */
  public static Optional<TopMetric> parse(String text) {
    return Arrays.stream(values()).filter(m -> m.apiName().equalsIgnoreCase(text)).findFirst();
  }

  /** The API names, comma-separated, for error messages. */
  public static String names() {
    return Arrays.stream(values()).map(TopMetric::apiName).collect(Collectors.joining(", "));
  }

  /** This metric of an aggregate; null when the window has no values (it ranks last). */
  public Double of(WindowAggregate aggregate) {
    return switch (this) {
      case COUNT -> (double) aggregate.count();
      case SUM -> aggregate.sum();
      case MAX -> aggregate.max();
      case P99 -> aggregate.quantile(0.99);
    };
  }
}
