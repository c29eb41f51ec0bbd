package io.streamdown.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * W0, the physical limit: Kafka's own {@code kafka-producer-perf-test} and {@code
 * kafka-consumer-perf-test} ({@code org.apache.kafka.tools}) against the same broker with the
 * benchmark's record size. They run in a child JVM on this module's classpath, so their output is
 * theirs alone and Kafka's tools never join the local stack's classpath.
 */
public final class KafkaPerf {

  /** The producer tool's summary. */
  public record ProducerResult(
      long records,
      double recordsPerSecond,
      double avgMs,
      double p50Ms,
      double p95Ms,
      double p99Ms) {}

  /** The consumer tool's summary: {@code fetchRecordsPerSecond} leaves out the group join. */
  public record ConsumerResult(
      long records, double recordsPerSecond, double fetchRecordsPerSecond) {}

  private static final Pattern PRODUCER_SUMMARY =
      Pattern.compile(
          "(\\d+) records sent, ([\\d.]+) records/sec \\([\\d.]+ MB/sec\\), ([\\d.]+) ms avg"
              + " latency, [\\d.]+ ms max latency, (\\d+) ms 50th, (\\d+) ms 95th, (\\d+) ms 99th");

  private KafkaPerf() {}

  public static ProducerResult produce(
      String bootstrap, String topic, long records, int recordSize, Consumer<String> progress) {
    List<String> output =
        run(
            List.of(
                "org.apache.kafka.tools.ProducerPerformance",
                "--bootstrap-server",
                bootstrap,
                "--topic",
                topic,
                "--num-records",
                Long.toString(records),
                "--record-size",
                Integer.toString(recordSize),
                "--throughput",
                "-1",
                "--command-property",
                "acks=all"),
            progress);
    return parseProducer(output)
        .orElseThrow(
            () -> new IllegalStateException("no summary from the producer tool: " + tail(output)));
  }

  public static ConsumerResult consume(
      String bootstrap, String topic, long records, Consumer<String> progress) {
    List<String> output =
        run(
            List.of(
                "org.apache.kafka.tools.ConsumerPerformance",
                "--bootstrap-server",
                bootstrap,
                "--topic",
                topic,
                "--num-records",
                Long.toString(records),
                "--group",
                "bench-w0-" + System.nanoTime(),
                "--timeout",
                "30000"),
            progress);
    return parseConsumer(output)
        .orElseThrow(
            () -> new IllegalStateException("no summary from the consumer tool: " + tail(output)));
  }

  static Optional<ProducerResult> parseProducer(List<String> lines) {
    ProducerResult last = null;
    for (String line : lines) {
      Matcher m = PRODUCER_SUMMARY.matcher(line);
      if (m.find()) {
        last =
            new ProducerResult(
                Long.parseLong(m.group(1)),
                Double.parseDouble(m.group(2)),
                Double.parseDouble(m.group(3)),
                Double.parseDouble(m.group(4)),
                Double.parseDouble(m.group(5)),
                Double.parseDouble(m.group(6)));
      }
    }
    return Optional.ofNullable(last);
  }

  /** The consumer tool prints a header of comma-separated names, then one line of values. */
  static Optional<ConsumerResult> parseConsumer(List<String> lines) {
    for (int i = 0; i + 1 < lines.size(); i++) {
      if (lines.get(i).startsWith("start.time")) {
        String[] names = lines.get(i).split(",\\s*");
        String[] values = lines.get(i + 1).split(",\\s*");
        Map<String, String> row = new TreeMap<>();
        for (int c = 0; c < Math.min(names.length, values.length); c++) {
          row.put(names[c].trim(), values[c].trim());
        }
        if (row.containsKey("nMsg.sec") && row.containsKey("data.consumed.in.nMsg")) {
          return Optional.of(
              new ConsumerResult(
                  Long.parseLong(row.get("data.consumed.in.nMsg")),
                  Double.parseDouble(row.get("nMsg.sec")),
                  Double.parseDouble(row.getOrDefault("fetch.nMsg.sec", row.get("nMsg.sec")))));
        }
      }
    }
    return Optional.empty();
  }

  private static List<String> run(List<String> toolArgs, Consumer<String> progress) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx512m");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.addAll(toolArgs);
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      List<String> lines = new ArrayList<>();
      try (var reader =
          new java.io.BufferedReader(
              new java.io.InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = reader.readLine()) != null) {
          lines.add(line);
          if (line.contains("records sent") || line.contains("records/sec")) {
            progress.accept("  w0: " + line.trim());
          }
        }
      }
      if (!process.waitFor(5, TimeUnit.MINUTES)) {
        process.destroyForcibly();
      }
      return lines;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String tail(List<String> lines) {
    return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
  }
}
