package io.streamdown.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.UUID;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowBytesStoreSupplier;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Enrich's de-duplication lookup on its own, in both layouts side by side: a range fetch over the
 * horizon in a store that keeps each id at its own timestamp (versions before the buckets), and
 * three point lookups in a store that keeps each id in a bucket one horizon wide (now). Both run
 * on real RocksDB window stores declared as enrich declares them, over the same ids, in blocks
 * that alternate which layout goes first.
 *
 * <p>The pipeline benchmark cannot show the difference: its runs last minutes, and the old
 * layout's cost grows with the number of live segments, which reaches its steady state only after
 * a horizon and a half of record time. Here record time is simulated, so an hour of it takes
 * seconds. Only blocks past that warm-up count. The stores are not logged (the changelog write is
 * the same in both layouts).
 *
 * <p>{@code java -cp bench/target/bench-0.1.0-SNAPSHOT.jar:bench/target/lib/*
 * io.streamdown.bench.DedupeLookupBench [minutes of record time] [events per second of it]}
 */
public final class DedupeLookupBench {

  private static final Duration HORIZON = Duration.ofMinutes(15);
  private static final int BLOCK = 10_000;
  private static final int SOURCES = 1_000;
  /** One event in this many is a retry of an earlier one. */
  private static final int RETRY_EVERY = 100;

  private DedupeLookupBench() {}

  public static void main(String[] args) throws IOException {
    int minutes = args.length > 0 ? Integer.parseInt(args[0]) : 60;
    int perSecond = args.length > 1 ? Integer.parseInt(args[1]) : 500;
    Path dir = Files.createTempDirectory("dedupe-lookup-bench");
    try {
      Result result = run(dir, minutes, perSecond);
      System.out.println(result.summary());
      if (result.bucketDuplicates != result.rangeDuplicates) {
        System.exit(1);
      }
    } finally {
      BenchMain.Target.deleteTree(dir);
    }
  }

  /** What one run measured. */
  record Result(
      long events,
      long rangeDuplicates,
      long bucketDuplicates,
      List<Double> rangeMicros,
      List<Double> bucketMicros) {

    String summary() {
      double range = median(rangeMicros);
      double bucket = median(bucketMicros);
      return String.format(
          Locale.ROOT,
          "%,d events (%d steady blocks of %,d): range fetch %.2f µs/event, buckets %.2f µs/event"
              + " (medians of the blocks), buckets / range fetch %.2f; duplicates found: %d and %d",
          events,
          rangeMicros.size(),
          BLOCK,
          range,
          bucket,
          bucket / range,
          rangeDuplicates,
          bucketDuplicates);
    }
  }

  static Result run(Path dir, int minutes, int perSecond) {
    Properties config = new Properties();
    config.put(StreamsConfig.APPLICATION_ID_CONFIG, "dedupe-lookup-bench");
    config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    config.put(StreamsConfig.STATE_DIR_CONFIG, dir.toString());
    Topology topology = new Topology();
    topology.addSource("go", new StringDeserializer(), new StringDeserializer(), "go");
    Result[] result = new Result[1];
    topology.addProcessor(
        "race",
        () ->
            new Processor<String, String, Void, Void>() {
              private WindowStore<String, Long> range;
              private WindowStore<String, Long> buckets;

              @Override
              public void init(ProcessorContext<Void, Void> context) {
                range = context.getStateStore("range");
                buckets = context.getStateStore("buckets");
              }

              @Override
              public void process(Record<String, String> record) {
                result[0] = race(range, buckets, minutes, perSecond);
              }
            },
        "go");
    topology.addStateStore(
        store(Stores.persistentWindowStore("range", HORIZON, HORIZON, false)), "race");
    topology.addStateStore(
        store(Stores.persistentWindowStore("buckets", HORIZON.multipliedBy(2), HORIZON, false)),
        "race");
    // The driver commits (and so flushes the stores) after every input record: the whole race
    // runs inside the processing of one record, as a stream thread runs many between commits.
    try (TopologyTestDriver driver = new TopologyTestDriver(topology, config)) {
      driver
          .createInputTopic("go", new StringSerializer(), new StringSerializer())
          .pipeInput("go", "go");
    }
    return result[0];
  }

  private static Result race(
      WindowStore<String, Long> range,
      WindowStore<String, Long> buckets,
      int minutes,
      int perSecond) {
    long horizon = HORIZON.toMillis();
    long start = 1_750_000_000_000L;
    long events = (long) minutes * 60 * perSecond;
    // Steady once the old layout has all its live segments: a horizon and a half.
    long steadyFrom = start + horizon * 3 / 2;
    SplittableRandom random = new SplittableRandom(42);
    List<String> recent = new ArrayList<>();
    List<Double> rangeMicros = new ArrayList<>();
    List<Double> bucketMicros = new ArrayList<>();
    long rangeDuplicates = 0;
    long bucketDuplicates = 0;
    String[] keys = new String[BLOCK];
    long[] times = new long[BLOCK];
    for (long first = 0; first < events; first += BLOCK) {
      int size = (int) Math.min(BLOCK, events - first);
      for (int i = 0; i < size; i++) {
        long n = first + i;
        times[i] = start + n * 1000 / perSecond;
        if (n % RETRY_EVERY == RETRY_EVERY - 1 && !recent.isEmpty()) {
          keys[i] = recent.get(random.nextInt(recent.size()));
        } else {
          keys[i] =
              "[\"ad-" + random.nextInt(SOURCES) + "\",\"" + new UUID(random.nextLong(), n) + "\"]";
          if (recent.size() < 5_000) {
            recent.add(keys[i]);
          } else {
            recent.set(random.nextInt(recent.size()), keys[i]);
          }
        }
      }
      boolean rangeFirst = (first / BLOCK) % 2 == 0;
      long rangeNanos = 0;
      long bucketNanos = 0;
      for (int pass = 0; pass < 2; pass++) {
        boolean rangePass = (pass == 0) == rangeFirst;
        long t0 = System.nanoTime();
        int found = 0;
        for (int i = 0; i < size; i++) {
          boolean duplicate =
              rangePass
                  ? rangeStep(range, keys[i], times[i], horizon)
                  : bucketStep(buckets, keys[i], times[i], horizon);
          found += duplicate ? 1 : 0;
        }
        long elapsed = System.nanoTime() - t0;
        if (rangePass) {
          rangeNanos = elapsed;
          rangeDuplicates += found;
        } else {
          bucketNanos = elapsed;
          bucketDuplicates += found;
        }
      }
      if (times[0] >= steadyFrom) {
        rangeMicros.add(rangeNanos / 1e3 / size);
        bucketMicros.add(bucketNanos / 1e3 / size);
      }
    }
    return new Result(events, rangeDuplicates, bucketDuplicates, rangeMicros, bucketMicros);
  }

  /** The lookup before the buckets: any entry within the horizon, found by a range fetch. */
  static boolean rangeStep(WindowStore<String, Long> store, String key, long time, long horizon) {
    try (WindowStoreIterator<Long> within = store.fetch(key, time - horizon, time + horizon)) {
      if (within.hasNext()) {
        return true;
      }
    }
    store.put(key, time, time);
    return false;
  }

  /** The lookup now: point lookups in the event's bucket and its two neighbours. */
  static boolean bucketStep(WindowStore<String, Long> store, String key, long time, long horizon) {
    long bucket = Math.floorDiv(time, horizon) * horizon;
    for (long start = bucket - horizon; start <= bucket + horizon; start += horizon) {
      Long passedOn = store.fetch(key, start);
      if (passedOn != null && Math.abs(passedOn - time) <= horizon) {
        return true;
      }
    }
    store.put(key, time, bucket);
    return false;
  }

  private static StoreBuilder<WindowStore<String, Long>> store(WindowBytesStoreSupplier supplier) {
    return Stores.windowStoreBuilder(supplier, Serdes.String(), Serdes.Long())
        .withLoggingDisabled();
  }

  static double median(List<Double> values) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(Comparator.naturalOrder());
    int middle = sorted.size() / 2;
    return sorted.size() % 2 == 1
        ? sorted.get(middle)
        : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
  }
}
