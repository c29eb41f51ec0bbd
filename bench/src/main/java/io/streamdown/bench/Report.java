package io.streamdown.bench;

import io.streamdown.schemas.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

/**
 * The results of one run: the summary keys of {@code latest.json} (every key present, {@code null}
 * where its workload did not run), the rows of the Markdown table, and the series of the charts.
 * {@link #write(Path, String)} writes {@code <stamp>.md}, {@code <stamp>.json}, {@code latest.json}
 * and the PNG charts.
 */
public final class Report {

  /** Every key of {@code latest.json}, in order. */
  public static final List<String> KEYS =
      List.of(
          "w0_produce_rps",
          "w0_consume_rps",
          "w1_batch_rps",
          "w1_batch_ratio",
          "w1_single_rps",
          "w1_camel_rps",
          "w1_single_vs_camel",
          "w1_single_p99_ms",
          "w2_eos_rps",
          "w2_alos_rps",
          "w2_eos_ratio",
          "w2_eos_vs_alos",
          "w3_freshness_p50_ms",
          "w3_freshness_p99_ms",
          "w4_qps",
          "w4_local_p99_ms",
          "w4_routed_p99_ms",
          "stack_rss_mib",
          "w5_flink_rps",
          "w5_vs_flink",
          "ysb_correct",
          // Diagnostics beyond the targets: the drain rates (an upper bound of W2's sustainable
          // rates, for which ingest is idle most of the time), and where the CPU goes.
          "w2_eos_drain_rps",
          "w2_alos_drain_rps",
          "w2_eos_vs_alos_drain",
          "w1_batch_ingest_cpu_us_per_event",
          "w1_single_cpu_us_per_request",
          "w1_camel_cpu_us_per_request",
          "w2_eos_cpu_us_per_event",
          "w2_eos_cpu_ceiling_rps",
          "w2_eos_jit_us_per_event",
          "w2_eos_gc_us_per_event",
          "w2_alos_cpu_us_per_event",
          "w2_alos_cpu_ceiling_rps",
          "w2_alos_jit_us_per_event",
          "w2_alos_gc_us_per_event",
          "w4_query_cpu_us_per_query",
          "w4_floor_qps",
          "w4_floor_p99_ms",
          "w4_vs_floor",
          "w4_floor_cpu_us_per_query",
          "w5_floor_rps",
          "w5_vs_floor",
          "w5_floor_vs_flink",
          "w5_cpu_us_per_event",
          "w5_floor_cpu_us_per_event",
          "w5_cpu_vs_floor",
          // The restore workload (only when named): query's time until ready after a restart
          // that keeps its state and after one that lost it, and what the difference restored.
          "restore_windows",
          "restore_records",
          "restore_kept_s",
          "restore_wiped_s",
          "restore_records_per_s");

  /** One line of the Markdown table. */
  public record Row(
      String workload,
      String measure,
      String value,
      String target,
      String p50,
      String p99,
      String note) {}

  private final Map<String, Object> summary = new LinkedHashMap<>();
  private final Map<String, Object> context = new LinkedHashMap<>();
  private final List<Row> rows = new ArrayList<>();
  private final Map<String, long[]> throughput = new LinkedHashMap<>();
  private final Map<String, Histogram> latencies = new LinkedHashMap<>();
  private final List<String> notes = new ArrayList<>();
  private final Map<String, String> attachments = new LinkedHashMap<>();

  public Report() {
    KEYS.forEach(key -> summary.put(key, null));
  }

  /** Sets a summary key; NaN and infinities become null. */
  public void put(String key, Object value) {
    if (!summary.containsKey(key)) {
      throw new IllegalArgumentException("not a summary key: " + key);
    }
    if (value instanceof Double d) {
      value = d.isNaN() || d.isInfinite() ? null : round(d);
    }
    summary.put(key, value);
  }

  /** Two decimals, or four significant digits below 1 (ratios such as 0.01411). */
  static double round(double value) {
    if (Math.abs(value) >= 1 || value == 0) {
      return Math.round(value * 100.0) / 100.0;
    }
    return new java.math.BigDecimal(value).round(new java.math.MathContext(4)).doubleValue();
  }

  public Object get(String key) {
    return summary.get(key);
  }

  /** A number of the summary, or NaN when absent. */
  public double number(String key) {
    return summary.get(key) instanceof Number n ? n.doubleValue() : Double.NaN;
  }

  public void context(String key, Object value) {
    context.put(key, value);
  }

  public void row(Row row) {
    rows.add(row);
  }

  public void note(String note) {
    notes.add(note);
  }

  public void throughput(String series, long[] perSecond) {
    throughput.put(series, perSecond);
  }

  /** A latency distribution for the percentile chart, in microseconds. */
  public void latency(String series, Histogram micros) {
    if (micros.getTotalCount() > 0) {
      latencies.put(series, micros);
    }
  }

  /**
   * A file written beside the report as {@code <stamp>-<suffix>} and linked from it, such as the
   * raw samples behind a row.
   */
  public void attach(String suffix, String content) {
    attachments.put(suffix, content);
  }

  public Map<String, Object> summary() {
    return java.util.Collections.unmodifiableMap(summary);
  }

  /** Writes the report files into {@code dir}; returns the Markdown file. */
  public Path write(Path dir, String stamp) {
    try {
      Files.createDirectories(dir);
      String json =
          Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(jsonDocument(stamp));
      Files.writeString(dir.resolve(stamp + ".json"), json + "\n");
      Files.writeString(dir.resolve("latest.json"), json + "\n");
      List<String> charts = writeCharts(dir, stamp);
      for (Map.Entry<String, String> attachment : attachments.entrySet()) {
        Files.writeString(dir.resolve(stamp + "-" + attachment.getKey()), attachment.getValue());
      }
      Path markdown = dir.resolve(stamp + ".md");
      Files.writeString(markdown, markdown(stamp, charts));
      return markdown;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Map<String, Object> jsonDocument(String stamp) {
    Map<String, Object> document = new LinkedHashMap<>(summary);
    document.put("run", stamp);
    document.put("context", context);
    return document;
  }

  String markdown(String stamp, List<String> charts) {
    StringBuilder md = new StringBuilder();
    md.append("# Streamdown benchmark, ").append(stamp).append("\n\n");
    md.append("| setting | value |\n|---|---|\n");
    context.forEach((k, v) -> md.append("| ").append(k).append(" | ").append(v).append(" |\n"));
    md.append("\n## Results\n\n");
    md.append("| workload | measure | value | target | p50 | p99 | note |\n");
    md.append("|---|---|---|---|---|---|---|\n");
    for (Row r : rows) {
      md.append("| ")
          .append(
              String.join(
                  " | ",
                  r.workload(),
                  r.measure(),
                  r.value(),
                  r.target(),
                  r.p50(),
                  r.p99(),
                  r.note()))
          .append(" |\n");
    }
    md.append("\n## latest.json keys\n\n| key | value |\n|---|---|\n");
    summary.forEach((k, v) -> md.append("| `").append(k).append("` | ").append(v).append(" |\n"));
    if (!notes.isEmpty()) {
      md.append("\n## Notes\n\n");
      notes.forEach(n -> md.append("- ").append(n).append("\n"));
    }
    if (!attachments.isEmpty()) {
      md.append("\n## Files\n\n");
      attachments
          .keySet()
          .forEach(
              suffix -> {
                String file = stamp + "-" + suffix;
                md.append("- [").append(file).append("](").append(file).append(")\n");
              });
    }
    if (!charts.isEmpty()) {
      md.append("\n## Charts\n\n");
      charts.forEach(c -> md.append("![").append(c).append("](").append(c).append(")\n\n"));
    }
    return md.toString();
  }

  private List<String> writeCharts(Path dir, String stamp) throws IOException {
    System.setProperty("java.awt.headless", "true");
    List<String> files = new ArrayList<>();
    if (!throughput.isEmpty()) {
      XYChart chart =
          new XYChartBuilder()
              .width(1000)
              .height(500)
              .title("Throughput over time (events/s completed)")
              .xAxisTitle("seconds since the workload started")
              .yAxisTitle("events/s")
              .build();
      throughput.forEach(
          (name, series) -> {
            if (series.length > 0) {
              double[] x = new double[series.length];
              double[] y = new double[series.length];
              for (int i = 0; i < series.length; i++) {
                x[i] = i;
                y[i] = series[i];
              }
              chart.addSeries(name, x, y);
            }
          });
      String file = stamp + "-throughput.png";
      BitmapEncoder.saveBitmap(chart, dir.resolve(file).toString(), BitmapEncoder.BitmapFormat.PNG);
      files.add(file);
    }
    if (!latencies.isEmpty()) {
      // HdrHistogram's usual picture: x in "nines" (1 = p90, 2 = p99, 3 = p99.9), y log scale.
      double[] percentiles = {50, 75, 90, 95, 99, 99.5, 99.9, 99.99};
      XYChart chart =
          new XYChartBuilder()
              .width(1000)
              .height(500)
              .title("Latency by percentile (ms, log scale)")
              .xAxisTitle("percentile in nines: 0.3 = p50, 1 = p90, 2 = p99, 3 = p99.9, 4 = p99.99")
              .yAxisTitle("ms")
              .build();
      chart.getStyler().setYAxisLogarithmic(true);
      latencies.forEach(
          (name, histogram) -> {
            double[] x = new double[percentiles.length];
            double[] y = new double[percentiles.length];
            for (int i = 0; i < percentiles.length; i++) {
              x[i] = -Math.log10(1 - percentiles[i] / 100.0);
              y[i] = Math.max(0.01, histogram.getValueAtPercentile(percentiles[i]) / 1000.0);
            }
            chart.addSeries(name, x, y);
          });
      String file = stamp + "-latency.png";
      BitmapEncoder.saveBitmap(chart, dir.resolve(file).toString(), BitmapEncoder.BitmapFormat.PNG);
      files.add(file);
    }
    return files;
  }

  static String fmt(double value) {
    return Double.isNaN(value) ? "–" : String.format(Locale.ROOT, "%,.1f", value);
  }

  static String ratio(double value) {
    return Double.isNaN(value) ? "–" : String.format(Locale.ROOT, "%.3f", value);
  }

  static String ms(Histogram micros, double percentile) {
    return micros.getTotalCount() == 0
        ? "–"
        : String.format(Locale.ROOT, "%.1f ms", micros.getValueAtPercentile(percentile) / 1000.0);
  }
}
