package io.streamdown.bench;

import io.streamdown.schemas.AggregateKey;
import io.streamdown.schemas.AggregatePartitioner;
import io.streamdown.schemas.Json;
import io.streamdown.schemas.QuantileSketches;
import io.streamdown.schemas.WindowAggregate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The windows of the restore workload: a backlog of aggregates of the YSB view, written straight
 * to {@code aggregates} as aggregate writes them (keyed by {@link AggregateKey} JSON, partitioned
 * by view and group, {@link WindowAggregate} JSON values), every one of the 300 (type, campaign)
 * groups with the same run of consecutive 10 s windows.
 *
 * <p>The run ends half an hour before the backlog is planned, so that it overwrites no window of
 * the other workloads, and starts at most five hours before that, half an hour inside the view's
 * six hours of retention. Each window's count is a function of its group and window, so the check knows every
 * one without keeping them.
 */
final class QueryRestore {

  /** The most windows per group: five hours of 10 s windows. */
  static final int MAX_WINDOWS_PER_GROUP = 1_800;

  private static final long END_BEFORE_NOW = 1_800_000L;

  private QueryRestore() {}

  /**
   * What is written: {@code groups} × {@code windowsPerGroup} windows from {@code
   * firstWindowStart}.
   */
  record Backlog(List<List<String>> groups, long firstWindowStart, int windowsPerGroup) {

    long windows() {
      return (long) groups.size() * windowsPerGroup;
    }

    long windowStart(int window) {
      return firstWindowStart + window * Ysb.WINDOW_MILLIS;
    }

    /** The count of a group's window: 1 to 97, spread over groups and windows. */
    static long count(int group, int window) {
      return 1 + Math.floorMod(group * 31L + window * 7L, 97L);
    }

    /** The counts of one window of every group, as {@link StackClient#ysbWindow} answers them. */
    Map<List<String>, Long> expected(int window) {
      Map<List<String>, Long> counts = new HashMap<>();
      for (int g = 0; g < groups.size(); g++) {
        counts.put(groups.get(g), count(g, window));
      }
      return counts;
    }
  }

  /**
   * At least {@code windows} windows: the YSB groups with enough windows each.
   *
   * @throws IllegalArgumentException if that needs more than {@link #MAX_WINDOWS_PER_GROUP} per
   *     group
   */
  static Backlog plan(List<String> campaigns, long windows, long now) {
    List<List<String>> groups = new ArrayList<>();
    for (String type : Ysb.EVENT_TYPES) {
      for (String campaign : campaigns) {
        groups.add(List.of(type, campaign));
      }
    }
    long perGroup = Math.max(1, (windows + groups.size() - 1) / groups.size());
    if (perGroup > MAX_WINDOWS_PER_GROUP) {
      throw new IllegalArgumentException(
          "--restore-windows "
              + windows
              + " needs "
              + perGroup
              + " windows per group; the view's retention holds at most "
              + MAX_WINDOWS_PER_GROUP
              + " (at most "
              + (long) MAX_WINDOWS_PER_GROUP * groups.size()
              + " windows)");
    }
    long lastEnd = Math.floorDiv(now - END_BEFORE_NOW, Ysb.WINDOW_MILLIS) * Ysb.WINDOW_MILLIS;
    long lastStart = lastEnd - Ysb.WINDOW_MILLIS;
    long firstStart = lastStart - (perGroup - 1) * Ysb.WINDOW_MILLIS;
    return new Backlog(groups, firstStart, (int) perGroup);
  }

  /** The aggregate of a group's window, as aggregate emits one of events without values. */
  static WindowAggregate aggregate(Backlog backlog, int group, int window) {
    List<String> values = backlog.groups().get(group);
    Map<String, String> fields = new LinkedHashMap<>();
    fields.put("type", values.get(0));
    fields.put("reference.campaign_id", values.get(1));
    long start = backlog.windowStart(window);
    long end = start + Ysb.WINDOW_MILLIS;
    return new WindowAggregate(
        Ysb.VIEW,
        fields,
        start,
        end,
        Backlog.count(group, window),
        0,
        0.0,
        null,
        null,
        start,
        end - 1,
        end,
        QuantileSketches.emptyEncoded());
  }

  /**
   * Writes the backlog, window by window, every record acknowledged by all replicas.
   *
   * @throws IllegalStateException if a record was not written
   */
  static void write(
      String bootstrap, String topic, int partitions, Backlog backlog, Consumer<String> progress) {
    Map<String, Object> config = new HashMap<>();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    AtomicReference<Exception> failure = new AtomicReference<>();
    AtomicLong acknowledged = new AtomicLong();
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
      for (int w = 0; w < backlog.windowsPerGroup(); w++) {
        for (int g = 0; g < backlog.groups().size(); g++) {
          AggregateKey key =
              new AggregateKey(Ysb.VIEW, backlog.groups().get(g), backlog.windowStart(w));
          int partition =
              AggregatePartitioner.partition(Ysb.VIEW, key.groupKey().encode(), partitions);
          producer.send(
              new ProducerRecord<>(
                  topic, partition, Json.write(key), Json.write(aggregate(backlog, g, w))),
              (metadata, exception) -> {
                if (exception != null) {
                  failure.compareAndSet(null, exception);
                } else {
                  acknowledged.incrementAndGet();
                }
              });
        }
        if ((w + 1) % 200 == 0) {
          progress.accept(
              String.format(
                  java.util.Locale.ROOT,
                  "restore: %,d of %,d windows written",
                  (w + 1L) * backlog.groups().size(),
                  backlog.windows()));
        }
      }
      producer.flush();
    }
    if (failure.get() != null || acknowledged.get() != backlog.windows()) {
      throw new IllegalStateException(
          acknowledged.get() + " of " + backlog.windows() + " aggregates written",
          failure.get());
    }
  }

  /** What the check compared: how many windows (every group of each), and each that differed. */
  record Checked(int windows, List<String> mismatches) {}

  /**
   * Compares up to {@code samples} windows spread over the backlog (its first and last among
   * them), every group of each, with what query answers.
   */
  static Checked check(StackClient client, Backlog backlog, int samples) {
    List<String> mismatches = new ArrayList<>();
    int n = Math.min(samples, backlog.windowsPerGroup());
    for (int i = 0; i < n; i++) {
      int window = n == 1 ? 0 : (int) ((long) i * (backlog.windowsPerGroup() - 1) / (n - 1));
      Map<List<String>, Long> expected = backlog.expected(window);
      Map<List<String>, Long> answered = client.ysbWindow(backlog.windowStart(window));
      if (!answered.equals(expected)) {
        long wrong =
            expected.entrySet().stream()
                .filter(e -> !e.getValue().equals(answered.get(e.getKey())))
                .count();
        mismatches.add(
            "window "
                + backlog.windowStart(window)
                + ": "
                + wrong
                + " of "
                + expected.size()
                + " groups differ, "
                + answered.size()
                + " answered");
      }
    }
    return new Checked(n, mismatches);
  }
}
