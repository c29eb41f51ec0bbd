package io.streamdown.prometheus;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The samples of a Prometheus text exposition (version 0.0.4), as much of it as readers of the
 * services' own {@code /actuator/prometheus} need: sums of counters and quantiles of histograms,
 * over all label values or those with one label's value. Comments, blank lines and lines that do
 * not parse are skipped, so one odd line never hides the rest. The query service's pipeline
 * health, the benchmark and the end-to-end tests read metrics with it, so all of them read a
 * sample the same way.
 */
public final class PrometheusText {

  /** One sample line. */
  public record Sample(String name, Map<String, String> labels, double value) {}

  private final List<Sample> samples;

  private PrometheusText(List<Sample> samples) {
    this.samples = List.copyOf(samples);
  }

  public static PrometheusText parse(String text) {
    List<Sample> samples = new ArrayList<>();
    for (String line : text.split("\n")) {
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      Sample sample = parseLine(trimmed);
      if (sample != null) {
        samples.add(sample);
      }
    }
    return new PrometheusText(samples);
  }

  public List<Sample> samples() {
    return samples;
  }

  /** Whether any sample of that name exists. */
  public boolean has(String name) {
    return samples.stream().anyMatch(s -> s.name().equals(name));
  }

  /**
   * The sum over every sample of that name (all label values), 0 when there is none. A sample
   * whose value is NaN (a gauge or meter with nothing to report yet) is left out, so that one
   * series without a value does not make the sum of the others unknown.
   */
  public double sum(String name) {
    return sum(name, s -> true);
  }

  /** The sum over the samples of that name whose label {@code label} is {@code value}. */
  public double sum(String name, String label, String value) {
    return sum(name, s -> value.equals(s.labels().get(label)));
  }

  private double sum(String name, Predicate<Sample> which) {
    return samples.stream()
        .filter(s -> s.name().equals(name) && !Double.isNaN(s.value()) && which.test(s))
        .mapToDouble(Sample::value)
        .sum();
  }

  /**
   * The quantile {@code q} of the histogram {@code name} (its {@code _bucket} series, summed over
   * every label but {@code le}), interpolated linearly within the bucket the way Prometheus'
   * {@code histogram_quantile} does; empty when the histogram is absent or has no observation.
   */
  public Optional<Double> histogramQuantile(String name, double q) {
    TreeMap<Double, Double> buckets = new TreeMap<>();
    for (Sample sample : samples) {
      String le = sample.labels().get("le");
      if (sample.name().equals(name + "_bucket") && le != null) {
        Double bound = bound(le);
        if (bound != null) {
          buckets.merge(bound, sample.value(), Double::sum);
        }
      }
    }
    if (buckets.isEmpty() || !buckets.lastKey().isInfinite()) {
      return Optional.empty();
    }
    double total = buckets.lastEntry().getValue();
    if (total <= 0) {
      return Optional.empty();
    }
    double rank = q * total;
    double lowerBound = 0;
    double lowerCount = 0;
    for (Map.Entry<Double, Double> bucket : buckets.entrySet()) {
      if (bucket.getValue() >= rank) {
        if (bucket.getKey().isInfinite()) {
          // Above the highest finite bound: that bound is the best answer there is.
          return Optional.of(lowerBound);
        }
        double inBucket = bucket.getValue() - lowerCount;
        double fraction = inBucket <= 0 ? 1 : (rank - lowerCount) / inBucket;
        return Optional.of(lowerBound + (bucket.getKey() - lowerBound) * fraction);
      }
      lowerBound = bucket.getKey();
      lowerCount = bucket.getValue();
    }
    return Optional.empty();
  }

  private static Double bound(String le) {
    try {
      return le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** {@code name{a="x",b="y"} value [timestamp]}, or null when the line is not of that form. */
  private static Sample parseLine(String line) {
    int brace = line.indexOf('{');
    int space = line.indexOf(' ');
    String name;
    Map<String, String> labels = new LinkedHashMap<>();
    String rest;
    if (brace >= 0 && (space < 0 || brace < space)) {
      name = line.substring(0, brace);
      int end = parseLabels(line, brace + 1, labels);
      if (end < 0) {
        return null;
      }
      rest = line.substring(end + 1).strip();
    } else if (space > 0) {
      name = line.substring(0, space);
      rest = line.substring(space + 1).strip();
    } else {
      return null;
    }
    String valueText = rest.split("\\s+")[0];
    try {
      return new Sample(name, labels, parseValue(valueText));
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static double parseValue(String text) {
    return switch (text) {
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      case "NaN" -> Double.NaN;
      default -> Double.parseDouble(text);
    };
  }

  /** Reads labels from {@code start} up to the closing brace; its index, or -1 when malformed. */
  private static int parseLabels(String line, int start, Map<String, String> labels) {
    int i = start;
    while (i < line.length()) {
      char c = line.charAt(i);
      if (c == '}') {
        return i;
      }
      if (c == ',' || c == ' ') {
        i++;
        continue;
      }
      int eq = line.indexOf('=', i);
      if (eq < 0 || eq + 1 >= line.length() || line.charAt(eq + 1) != '"') {
        return -1;
      }
      String key = line.substring(i, eq).strip();
      StringBuilder value = new StringBuilder();
      int j = eq + 2;
      boolean closed = false;
      while (j < line.length()) {
        char v = line.charAt(j);
        if (v == '\\' && j + 1 < line.length()) {
          char escaped = line.charAt(j + 1);
          value.append(escaped == 'n' ? '\n' : escaped);
          j += 2;
        } else if (v == '"') {
          closed = true;
          j++;
          break;
        } else {
          value.append(v);
          j++;
        }
      }
      if (!closed) {
        return -1;
      }
      labels.put(key, value.toString());
      i = j;
    }
    return -1;
  }
}
