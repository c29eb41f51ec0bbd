package io.streamdown.enrich.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.UUID;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.WindowStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The filters against a real RocksDB window store declared as enrich declares its buckets. */
class BucketFiltersTest {

  private static final long HORIZON = Duration.ofMinutes(15).toMillis();
  private static final long B0 = 1_750_000_000_000L / HORIZON * HORIZON;
  private static final long MIB = 1 << 20;

  @TempDir Path stateDir;
  private TopologyTestDriver driver;
  private WindowStore<String, Long> store;
  private final SplittableRandom random = new SplittableRandom(11);

  /** A driver only to host enrich's store: segmented RocksDB stores need a task around them. */
  @BeforeEach
  void openStore() {
    Properties config = new Properties();
    config.put(StreamsConfig.APPLICATION_ID_CONFIG, "bucket-filters-test");
    config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    Topology topology = new Topology();
    topology.addSource("in", new StringDeserializer(), new StringDeserializer(), "in");
    topology.addProcessor(
        "none",
        () ->
            new Processor<String, String, Void, Void>() {
              @Override
              public void process(Record<String, String> record) {}
            },
        "in");
    topology.addStateStore(
        EnrichTopology.dedupeStore(Duration.ofMillis(HORIZON)).withLoggingDisabled(), "none");
    driver = new TopologyTestDriver(topology, config);
    store = driver.getWindowStore(EnrichTopology.DEDUPE_STORE);
  }

  @AfterEach
  void closeStore() {
    driver.close();
  }

  @Test
  void loadedFiltersHoldEveryIdOfTheNewestTwoBucketsAndSendOlderBucketsToTheStore() {
    List<String> older = put(B0 - HORIZON, 300);
    List<String> previous = put(B0, 5_000);
    List<String> newest = put(B0 + HORIZON, 5_000);
    DedupeFilterMemory memory = new DedupeFilterMemory(8 * MIB);

    BucketFilters filters = BucketFilters.load(store, HORIZON, memory);

    assertThat(filters.coveredFrom()).isEqualTo(B0);
    assertThat(previous).allMatch(key -> filters.mayHold(B0, IdBloomFilter.hash(key)));
    assertThat(newest).allMatch(key -> filters.mayHold(B0 + HORIZON, IdBloomFilter.hash(key)));
    // Not covered: the store is asked, whatever the key.
    assertThat(older).allMatch(key -> filters.mayHold(B0 - HORIZON, IdBloomFilter.hash(key)));
    assertThat(filters.mayHold(B0 - HORIZON, IdBloomFilter.hash("never put"))).isTrue();
    // Covered: new ids are mostly answered without the store; nothing is in an empty bucket.
    assertThat(newIdsPassing(filters, B0 + HORIZON, 10_000)).isLessThan(200);
    assertThat(newIdsPassing(filters, B0 + 2 * HORIZON, 1_000)).isZero();
    assertThat(memory.usedBytes()).isEqualTo(2 * IdBloomFilter.bytesFor(BucketFilters.MIN_CAPACITY));

    filters.release();
    assertThat(memory.usedBytes()).isZero();
  }

  @Test
  void anEmptyStoreCoversEveryBucketAndAddedIdsAreFound() {
    DedupeFilterMemory memory = new DedupeFilterMemory(8 * MIB);
    BucketFilters filters = BucketFilters.load(store, HORIZON, memory);

    assertThat(newIdsPassing(filters, B0, 1_000)).isZero();
    filters.add(B0, IdBloomFilter.hash("e-1"));
    assertThat(filters.mayHold(B0, IdBloomFilter.hash("e-1"))).isTrue();
    assertThat(filters.mayHold(B0 + HORIZON, IdBloomFilter.hash("e-1"))).isFalse();
  }

  @Test
  void aNewBucketDropsTheFiltersBeforeThePreviousOne() {
    DedupeFilterMemory memory = new DedupeFilterMemory(8 * MIB);
    BucketFilters filters = BucketFilters.load(store, HORIZON, memory);
    filters.add(B0, IdBloomFilter.hash("in-b0"));
    filters.add(B0 + HORIZON, IdBloomFilter.hash("in-b1"));
    long two = memory.usedBytes();

    filters.add(B0 + 2 * HORIZON, IdBloomFilter.hash("in-b2"));

    assertThat(filters.coveredFrom()).isEqualTo(B0 + HORIZON);
    assertThat(memory.usedBytes()).isEqualTo(two);
    assertThat(filters.mayHold(B0 + HORIZON, IdBloomFilter.hash("in-b1"))).isTrue();
    // Dropped: B0's lookups go to the store again, and an id put there now is not filtered.
    assertThat(filters.mayHold(B0, IdBloomFilter.hash("anything"))).isTrue();
    filters.add(B0, IdBloomFilter.hash("late"));
    assertThat(memory.usedBytes()).isEqualTo(two);
  }

  @Test
  void aBucketGrowsItsFilterBeyondTheFirstCapacityWithoutLosingAnId() {
    DedupeFilterMemory memory = new DedupeFilterMemory(8 * MIB);
    BucketFilters filters = BucketFilters.load(store, HORIZON, memory);
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 3 * BucketFilters.MIN_CAPACITY; i++) {
      String key = key(i);
      keys.add(key);
      filters.add(B0, IdBloomFilter.hash(key));
    }

    assertThat(keys).allMatch(key -> filters.mayHold(B0, IdBloomFilter.hash(key)));
    assertThat(memory.usedBytes())
        .isEqualTo(
            IdBloomFilter.bytesFor(BucketFilters.MIN_CAPACITY)
                + IdBloomFilter.bytesFor(2 * BucketFilters.MIN_CAPACITY));
    // The next bucket starts a quarter above the size the one before reached: one filter takes
    // a rate a fifth higher.
    int next = 3 * BucketFilters.MIN_CAPACITY * 5 / 4;
    for (int i = 0; i < 3 * BucketFilters.MIN_CAPACITY * 6 / 5; i++) {
      filters.add(B0 + HORIZON, IdBloomFilter.hash(key(i)));
    }
    assertThat(memory.usedBytes())
        .isEqualTo(
            IdBloomFilter.bytesFor(BucketFilters.MIN_CAPACITY)
                + IdBloomFilter.bytesFor(2 * BucketFilters.MIN_CAPACITY)
                + IdBloomFilter.bytesFor(next));
  }

  @Test
  void beyondTheMemoryLimitABucketIsUnfilteredAndItsMemoryReturned() {
    long one = IdBloomFilter.bytesFor(BucketFilters.MIN_CAPACITY);
    DedupeFilterMemory memory = new DedupeFilterMemory(one + one / 2);
    BucketFilters filters = BucketFilters.load(store, HORIZON, memory);
    for (int i = 0; i <= BucketFilters.MIN_CAPACITY; i++) {
      filters.add(B0, IdBloomFilter.hash(key(i)));
    }

    // The second filter of the chain did not fit: the bucket gave its first one back.
    assertThat(memory.usedBytes()).isZero();
    assertThat(filters.mayHold(B0, IdBloomFilter.hash("never put"))).isTrue();
    // Another bucket still gets a filter (sized for a quarter more than the bucket before held).
    filters.add(B0 + HORIZON, IdBloomFilter.hash("in-b1"));
    assertThat(memory.usedBytes())
        .isEqualTo(IdBloomFilter.bytesFor((BucketFilters.MIN_CAPACITY + 1) * 5 / 4));
    assertThat(newIdsPassing(filters, B0 + HORIZON, 1_000)).isLessThan(50);
  }

  @Test
  void aLoadInPiecesCoversNothingUntilItHasReadEveryEntry() {
    List<String> previous = put(B0, 5_000);
    List<String> newest = put(B0 + HORIZON, 5_000);
    DedupeFilterMemory memory = new DedupeFilterMemory(8 * MIB);

    BucketFilters filters = BucketFilters.start(store, HORIZON, memory);

    assertThat(filters.loaded()).isFalse();
    assertThat(newIdsPassing(filters, B0 + HORIZON, 1_000)).isEqualTo(1_000);
    // Events go on between the pieces: their ids go into the store and the filters.
    List<String> meanwhile = new ArrayList<>();
    int unfinished = 0;
    while (!filters.loadSome(1_000)) {
      unfinished++;
      assertThat(newIdsPassing(filters, B0, 10)).isEqualTo(10);
      String key = key(unfinished);
      store.put(key, B0 + HORIZON + 1, B0 + HORIZON);
      filters.add(B0 + HORIZON, IdBloomFilter.hash(key));
      meanwhile.add(key);
    }

    assertThat(unfinished).isGreaterThanOrEqualTo(10);
    assertThat(filters.loaded()).isTrue();
    assertThat(filters.coveredFrom()).isEqualTo(B0);
    assertThat(previous).allMatch(key -> filters.mayHold(B0, IdBloomFilter.hash(key)));
    assertThat(newest).allMatch(key -> filters.mayHold(B0 + HORIZON, IdBloomFilter.hash(key)));
    assertThat(meanwhile).allMatch(key -> filters.mayHold(B0 + HORIZON, IdBloomFilter.hash(key)));
    assertThat(newIdsPassing(filters, B0 + HORIZON, 10_000)).isLessThan(200);

    filters.release();
    assertThat(memory.usedBytes()).isZero();
  }

  @Test
  void aNewerBucketDuringTheLoadEndsTheCoverageOfTheOldestAndTheLoadCompletesTheRest() {
    put(B0, 5_000);
    List<String> newest = put(B0 + HORIZON, 5_000);
    DedupeFilterMemory memory = new DedupeFilterMemory(8 * MIB);
    BucketFilters filters = BucketFilters.start(store, HORIZON, memory);
    assertThat(filters.loadSome(1_000)).isFalse();

    String later = key(1);
    store.put(later, B0 + 2 * HORIZON, B0 + 2 * HORIZON);
    filters.add(B0 + 2 * HORIZON, IdBloomFilter.hash(later));
    while (!filters.loadSome(1_000)) {
      // the rest, B0's entries ignored now
    }

    assertThat(filters.coveredFrom()).isEqualTo(B0 + HORIZON);
    assertThat(newest).allMatch(key -> filters.mayHold(B0 + HORIZON, IdBloomFilter.hash(key)));
    assertThat(filters.mayHold(B0 + 2 * HORIZON, IdBloomFilter.hash(later))).isTrue();
    assertThat(newIdsPassing(filters, B0 + HORIZON, 10_000)).isLessThan(200);
    assertThat(memory.usedBytes())
        .isEqualTo(2 * IdBloomFilter.bytesFor(BucketFilters.MIN_CAPACITY));
  }

  @Test
  void aLimitOfZeroSendsEveryLookupToTheStore() {
    put(B0, 10);
    DedupeFilterMemory memory = new DedupeFilterMemory(0);
    BucketFilters filters = BucketFilters.load(store, HORIZON, memory);
    filters.add(B0 + HORIZON, IdBloomFilter.hash("e-1"));

    assertThat(filters.off()).isTrue();
    assertThat(newIdsPassing(filters, B0, 100)).isEqualTo(100);
    assertThat(newIdsPassing(filters, B0 + 5 * HORIZON, 100)).isEqualTo(100);
    assertThat(memory.usedBytes()).isZero();
  }

  private List<String> put(long bucket, int count) {
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String key = key(i);
      store.put(key, bucket + i, bucket);
      keys.add(key);
    }
    return keys;
  }

  private int newIdsPassing(BucketFilters filters, long bucket, int count) {
    int passing = 0;
    for (int i = 0; i < count; i++) {
      if (filters.mayHold(bucket, IdBloomFilter.hash("new-" + key(i)))) {
        passing++;
      }
    }
    return passing;
  }

  private String key(int n) {
    return Deduplication.key("ad-" + random.nextInt(100), new UUID(random.nextLong(), n).toString());
  }
}
