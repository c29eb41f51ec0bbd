package io.streamdown.bench.flink;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.TopicPartition;

/**
 * W5's peer: the YSB pipeline ({@link YsbPipeline}) as a Flink job on a MiniCluster in this JVM,
 * over a backlog of Streamdown's {@code events.raw} topic, joined with its {@code reference} topic,
 * on the same broker as Streamdown.
 *
 * <pre>
 * FlinkYsbJob --bootstrap HOST:PORT --events-topic T --reference-topic T
 *             (--from-offsets-file FILE | --from-timestamp MS) --expected N --out RESULT.json
 *             [--parallelism 2]
 * </pre>
 *
 * <p>Both sources are bounded: the events from the given start (a file of {@code partition=offset}
 * lines, or the first offsets at a timestamp) to the offsets that are the latest when the job
 * starts, the references from the earliest to the latest. So the job reads exactly the backlog, and
 * the end of its input is the final watermark that fires every window. Both read {@code
 * read_committed}: the events topic is written in transactions.
 *
 * <p>It measures itself: events read, and the wall time from the first event read to the last
 * result delivered, so the JVM's and the MiniCluster's start-up stay out. The result file: {@code
 * {"records": n, "expected": n, "references": n, "unjoined": n, "late": n, "seconds": s, "rps":
 * n/s, "cells": [[windowStart, type, campaign, count], ...]}}. Lines starting with {@code
 * flink-ysb:} on stdout report progress.
 */
public final class FlinkYsbJob {

  /** The options of one run. */
  record Options(
      String bootstrap,
      String eventsTopic,
      String referenceTopic,
      Path offsetsFile,
      Long fromTimestamp,
      long expected,
      Path out,
      int parallelism) {}

  /**
   * What {@link #run} measured and counted: events and references read, events dropped for want
   * of a campaign or as late, the seconds from the first event to the last result, the cells.
   */
  record Result(
      long records,
      long references,
      long unjoined,
      long late,
      double seconds,
      List<WindowCount> cells) {
    double recordsPerSecond() {
      return seconds > 0 ? records / seconds : 0;
    }
  }

  private FlinkYsbJob() {}

  public static void main(String[] args) throws Exception {
    // Flink and the Kafka clients log plenty at INFO; the benchmark wants the job's own lines.
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }
    // The per-job MiniCluster shuts down as the job ends, while the result iterator may still ask
    // for the job's status; it then warns that data "might be lost" and takes the final results
    // from the job's accumulators, whose result the job client holds past the shutdown. Nothing
    // is lost (the benchmark compares every cell), so that warning and its stack trace stay out.
    String fetcher =
        "org.slf4j.simpleLogger.log.org.apache.flink.streaming.api.operators.collect"
            + ".CollectResultFetcher";
    if (System.getProperty(fetcher) == null) {
      System.setProperty(fetcher, "error");
    }
    Options options;
    try {
      options = parse(List.of(args));
    } catch (IllegalArgumentException e) {
      System.err.println("FlinkYsbJob: " + e.getMessage());
      System.exit(2);
      return;
    }
    Result result = run(options);
    write(result, options);
    say(
        String.format(
            Locale.ROOT,
            "%,d events in %.2f s = %.0f/s, %d cells; %,d references, %,d events without a"
                + " campaign, %,d late",
            result.records(),
            result.seconds(),
            result.recordsPerSecond(),
            result.cells().size(),
            result.references(),
            result.unjoined(),
            result.late()));
    if (result.records() != options.expected()) {
      say("expected " + options.expected() + " events, read " + result.records());
    }
    System.exit(0);
  }

  static Result run(Options options) throws Exception {
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.createLocalEnvironment(
            options.parallelism(), new Configuration());

    KafkaSource<AdEvent> events =
        KafkaSource.<AdEvent>builder()
            .setBootstrapServers(options.bootstrap())
            .setTopics(options.eventsTopic())
            .setStartingOffsets(startingOffsets(options))
            .setBounded(OffsetsInitializer.latest())
            .setDeserializer(new KafkaDeserializers.Events())
            .setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")
            .setClientIdPrefix("flink-ysb-events")
            .build();
    KafkaSource<AdCampaign> references =
        KafkaSource.<AdCampaign>builder()
            .setBootstrapServers(options.bootstrap())
            .setTopics(options.referenceTopic())
            .setStartingOffsets(OffsetsInitializer.earliest())
            .setBounded(OffsetsInitializer.latest())
            .setDeserializer(new KafkaDeserializers.References())
            .setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")
            .setClientIdPrefix("flink-ysb-reference")
            .build();

    DataStream<WindowCount> counts =
        YsbPipeline.counts(
            env.fromSource(events, YsbPipeline.eventWatermarks(), "events.raw"),
            env.fromSource(references, WatermarkStrategy.noWatermarks(), "reference"));

    try (CloseableIterator<WindowCount> results = counts.collectAsync()) {
      JobClient job = env.executeAsync("streamdown-ysb");
      say("job " + job.getJobID() + " submitted");
      List<WindowCount> cells = new ArrayList<>();
      results.forEachRemaining(cells::add);
      long end = System.currentTimeMillis();
      JobExecutionResult done = job.getJobExecutionResult().get();
      Long first = done.getAccumulatorResult(YsbPipeline.FIRST_EVENT_MILLIS);
      double seconds =
          first == null || first == Long.MAX_VALUE ? 0 : Math.max(0, end - first) / 1000.0;
      cells.sort(
          Comparator.<WindowCount>comparingLong(c -> c.windowStart)
              .thenComparing(c -> c.eventType)
              .thenComparing(c -> c.campaignId));
      return new Result(
          count(done, YsbPipeline.EVENTS),
          count(done, YsbPipeline.REFERENCES),
          count(done, YsbPipeline.UNJOINED),
          count(done, YsbPipeline.LATE),
          seconds,
          cells);
    }
  }

  /** A counter accumulator's total; 0 if no instance added to it. */
  private static long count(JobExecutionResult done, String accumulator) {
    Long value = done.getAccumulatorResult(accumulator);
    return value == null ? 0 : value;
  }

  private static OffsetsInitializer startingOffsets(Options options) throws IOException {
    if (options.fromTimestamp() != null) {
      return OffsetsInitializer.timestamp(options.fromTimestamp());
    }
    Properties lines = new Properties();
    try (Reader reader = Files.newBufferedReader(options.offsetsFile(), StandardCharsets.UTF_8)) {
      lines.load(reader);
    }
    Map<TopicPartition, Long> offsets = new HashMap<>();
    for (String partition : lines.stringPropertyNames()) {
      offsets.put(
          new TopicPartition(options.eventsTopic(), Integer.parseInt(partition.trim())),
          Long.parseLong(lines.getProperty(partition).trim()));
    }
    if (offsets.isEmpty()) {
      throw new IllegalArgumentException("no partition=offset lines in " + options.offsetsFile());
    }
    return OffsetsInitializer.offsets(offsets);
  }

  static void write(Result result, Options options) throws IOException {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("records", result.records());
    json.put("expected", options.expected());
    json.put("references", result.references());
    json.put("unjoined", result.unjoined());
    json.put("late", result.late());
    json.put("seconds", result.seconds());
    json.put("rps", result.recordsPerSecond());
    List<List<Object>> cells = new ArrayList<>();
    for (WindowCount c : result.cells()) {
      cells.add(List.of(c.windowStart, c.eventType, c.campaignId, c.count));
    }
    json.put("cells", cells);
    Path out = options.out().toAbsolutePath();
    if (out.getParent() != null) {
      Files.createDirectories(out.getParent());
    }
    Path partial = out.resolveSibling(out.getFileName() + ".part");
    new ObjectMapper()
        .disable(SerializationFeature.INDENT_OUTPUT)
        .writeValue(partial.toFile(), json);
    Files.move(
        partial,
        out,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  static Options parse(List<String> args) {
    Map<String, String> values = new HashMap<>();
    for (int i = 0; i < args.size(); i++) {
      String name = args.get(i);
      if (!name.startsWith("--") || i + 1 >= args.size()) {
        throw new IllegalArgumentException("expected --name value pairs, got '" + name + "'");
      }
      values.put(name.substring(2), args.get(++i));
    }
    for (String required : List.of("bootstrap", "events-topic", "reference-topic", "out")) {
      if (!values.containsKey(required)) {
        throw new IllegalArgumentException("--" + required + " is required");
      }
    }
    boolean byFile = values.containsKey("from-offsets-file");
    boolean byTime = values.containsKey("from-timestamp");
    if (byFile == byTime) {
      throw new IllegalArgumentException(
          "exactly one of --from-offsets-file and --from-timestamp is required");
    }
    try {
      return new Options(
          values.get("bootstrap"),
          values.get("events-topic"),
          values.get("reference-topic"),
          byFile ? Path.of(values.get("from-offsets-file")) : null,
          byTime ? Long.valueOf(values.get("from-timestamp")) : null,
          Long.parseLong(values.getOrDefault("expected", "-1")),
          Path.of(values.get("out")),
          Integer.parseInt(values.getOrDefault("parallelism", "2")));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a number: " + e.getMessage());
    }
  }

  private static void say(String line) {
    System.out.println("flink-ysb: " + line);
    System.out.flush();
  }
}
