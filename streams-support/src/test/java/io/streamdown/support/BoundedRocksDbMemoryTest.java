package io.streamdown.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.streamdown.support.BoundedRocksDbMemory.Budget;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.springframework.util.unit.DataSize;

class BoundedRocksDbMemoryTest {

  private static final String STORE = "budget-test-store";

  /** 12 MB of writes: less than one of Kafka Streams' 16 MB memtables holds. */
  private static final int RECORDS = 3_000;

  private static final int VALUE_BYTES = 4_000;

  @TempDir Path stateDir;

  @Test
  void theBudgetHasDefaultsAndReadsSizesAndFractions() {
    Budget defaults = Budget.of(Map.of());
    assertThat(defaults.bytes()).isEqualTo(DataSize.ofMegabytes(64).toBytes());
    assertThat(defaults.memtableBytes()).isEqualTo(DataSize.ofMegabytes(32).toBytes());

    Budget configured =
        Budget.of(
            Map.of(
                BoundedRocksDbMemory.MEMORY_CONFIG, " 256MB ",
                BoundedRocksDbMemory.MEMTABLE_SHARE_CONFIG, "0.25"));
    assertThat(configured.bytes()).isEqualTo(256L * 1024 * 1024);
    assertThat(configured.memtableBytes()).isEqualTo(64L * 1024 * 1024);
    assertThat(configured).hasToString("256 MB, memtables up to 64 MB of it");

    Budget numbers =
        Budget.of(
            Map.of(
                BoundedRocksDbMemory.MEMORY_CONFIG, 1_000_000L,
                BoundedRocksDbMemory.MEMTABLE_SHARE_CONFIG, 0.5));
    assertThat(numbers.bytes()).isEqualTo(1_000_000L);
    assertThat(numbers).hasToString("1000000 bytes, memtables up to 500000 bytes of it");
  }

  /** The defaults here and those streamdown-streams.yml ships cannot drift apart. */
  @Test
  void theShippedSettingsUseThisSetterWithItsDefaults() {
    Properties shipped = SharedStreamsSettings.streamsProperties();
    assertThat(shipped.getProperty(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG))
        .isEqualTo(BoundedRocksDbMemory.class.getName());
    @SuppressWarnings({"unchecked", "rawtypes"})
    Map<String, ?> configs = (Map) shipped;
    assertThat(Budget.of(configs)).isEqualTo(Budget.of(Map.of()));
  }

  @Test
  void aBadBudgetNamesItsProperty() {
    assertThatThrownBy(() -> Budget.of(Map.of(BoundedRocksDbMemory.MEMORY_CONFIG, "lots")))
        .hasMessage("streamdown.rocksdb.memory must be a size such as 64MB or 1GB, not 'lots'");
    assertThatThrownBy(() -> Budget.of(Map.of(BoundedRocksDbMemory.MEMORY_CONFIG, "0MB")))
        .hasMessageContaining("streamdown.rocksdb.memory must be a positive size");
    assertThatThrownBy(() -> Budget.of(Map.of(BoundedRocksDbMemory.MEMTABLE_SHARE_CONFIG, "1")))
        .hasMessage("streamdown.rocksdb.memtable.share must be above 0 and below 1, not 1.0");
    assertThatThrownBy(
            () -> Budget.of(Map.of(BoundedRocksDbMemory.MEMTABLE_SHARE_CONFIG, "half")))
        .hasMessageContaining("must be a fraction such as 0.5, not 'half'");
  }

  @Test
  void everyStoreOfOneBudgetSharesOneWriteBufferManager() {
    Map<String, Object> configs = Map.of(BoundedRocksDbMemory.MEMORY_CONFIG, "48MB");
    Map<String, Object> other = Map.of(BoundedRocksDbMemory.MEMORY_CONFIG, "40MB");
    try (Options first = options();
        Options second = options();
        Options third = options()) {
      new BoundedRocksDbMemory().setConfig("a", first, configs);
      new BoundedRocksDbMemory().setConfig("b", second, configs);
      new BoundedRocksDbMemory().setConfig("c", third, other);

      assertThat(first.writeBufferManager()).isNotNull().isSameAs(second.writeBufferManager());
      assertThat(third.writeBufferManager()).isNotSameAs(first.writeBufferManager());
    }
  }

  /**
   * The same 12 MB into RocksDB configured as Kafka Streams configures a store (16 MB memtables,
   * up to three), with and without the budget: with it the memtables are flushed to files long
   * before one is full and the shared cache stays near the budget; every value reads back.
   */
  @Test
  void aStoreStaysWithinTheBudgetAndKeepsEveryValue() throws Exception {
    Map<String, Object> configs =
        Map.of(
            BoundedRocksDbMemory.MEMORY_CONFIG, "4MB",
            BoundedRocksDbMemory.MEMTABLE_SHARE_CONFIG, "0.5");
    Budget budget = Budget.of(configs);

    Path withBudget = stateDir.resolve("with");
    writeAndReadBack(
        withBudget,
        options -> new BoundedRocksDbMemory().setConfig(STORE, options, configs),
        () -> {
          // Flushed early, so files on disk; RocksDB flushes in the background, hence the wait.
          await().atMost(Duration.ofSeconds(20)).until(() -> sstFiles(withBudget) > 0);
          assertThat(BoundedRocksDbMemory.usedBytes(budget))
              .isPositive()
              .isLessThanOrEqualTo(budget.bytes() * 5 / 4);
        });
    Path withoutBudget = stateDir.resolve("without");
    writeAndReadBack(
        withoutBudget, options -> {}, () -> assertThat(sstFiles(withoutBudget)).isZero());
  }

  @Test
  void eachStoreGetsASixteenthOfTheMemtablesShareAtLeastOneMegabyte() {
    try (Options defaults = options();
        Options small = options()) {
      new BoundedRocksDbMemory()
          .setConfig("a", defaults, Map.of(BoundedRocksDbMemory.MEMORY_CONFIG, "64MB"));
      new BoundedRocksDbMemory()
          .setConfig("b", small, Map.of(BoundedRocksDbMemory.MEMORY_CONFIG, "8MB"));

      assertThat(defaults.writeBufferSize()).isEqualTo(DataSize.ofMegabytes(2).toBytes());
      assertThat(small.writeBufferSize()).isEqualTo(BoundedRocksDbMemory.MIN_WRITE_BUFFER);
    }
  }

  /**
   * Twelve stores that were written a little and then no more (a window store's older segments,
   * another task's stores) and one store written on: the written one flushes memtables of about
   * its own size. With Kafka Streams' 16 MB memtables the idle stores held more than the share
   * by themselves, and the written store flushed a file for nearly every write.
   */
  @Test
  void idleStoresDoNotMakeAWrittenStoreFlushTinyFiles() throws Exception {
    Map<String, Object> configs = Map.of(BoundedRocksDbMemory.MEMORY_CONFIG, "48MB");
    Budget budget = Budget.of(configs);
    List<Options> allOptions = new ArrayList<>();
    List<RocksDB> idle = new ArrayList<>();
    Random random = new Random(7);
    try {
      for (int i = 0; i < 12; i++) {
        RocksDB db = open(stateDir.resolve("idle-" + i), configs, allOptions);
        idle.add(db);
        write(db, random, budget.writeBufferBytes() * 4 / 3); // more than its memtable holds
      }
      Path activeDir = stateDir.resolve("active");
      try (RocksDB active = open(activeDir, configs, allOptions)) {
        write(active, random, 8 * budget.writeBufferBytes());
      }
      // Closed, so every memtable is in a file; nothing compacts them here.
      assertThat(sstFiles(activeDir)).isBetween(4L, 16L);
    } finally {
      idle.forEach(RocksDB::close);
      allOptions.forEach(Options::close);
    }
  }

  private static RocksDB open(Path dir, Map<String, Object> configs, List<Options> allOptions)
      throws Exception {
    Options options = options();
    allOptions.add(options);
    options.setCreateIfMissing(true);
    options.setWriteBufferSize(16L * 1024 * 1024); // Kafka Streams' size, before the setter
    options.setMaxWriteBufferNumber(3);
    options.setDisableAutoCompactions(true); // every flush stays a file of its own
    new BoundedRocksDbMemory().setConfig(STORE, options, configs);
    Files.createDirectories(dir);
    return RocksDB.open(options, dir.toString());
  }

  private static void write(RocksDB db, Random random, long bytes) throws Exception {
    for (long written = 0; written < bytes; written += VALUE_BYTES) {
      byte[] key = new byte[16];
      byte[] value = new byte[VALUE_BYTES];
      random.nextBytes(key);
      random.nextBytes(value);
      db.put(key, value);
    }
  }

  /** Kafka Streams hands its stores' options to the setter the Streams configuration names. */
  @Test
  void kafkaStreamsStoresUseTheBudget() {
    Map<String, Object> configs = new HashMap<>();
    configs.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDbMemory.class);
    configs.put(BoundedRocksDbMemory.MEMORY_CONFIG, "6MB");
    Budget budget = Budget.of(configs);
    assertThat(BoundedRocksDbMemory.usedBytes(budget)).isZero();

    Topology topology = new Topology();
    topology.addSource(
        "in", Serdes.String().deserializer(), Serdes.ByteArray().deserializer(), "in");
    topology.addProcessor("put", PutProcessor::new, "in");
    topology.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(STORE), Serdes.String(), Serdes.ByteArray())
            .withLoggingDisabled(),
        "put");
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "budget-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    props.putAll(configs);
    try (TopologyTestDriver driver = new TopologyTestDriver(topology, props)) {
      TestInputTopic<String, byte[]> in =
          driver.createInputTopic("in", new StringSerializer(), new ByteArraySerializer());
      for (int i = 0; i < 100; i++) {
        in.pipeInput("key-" + i, new byte[VALUE_BYTES]);
      }
      KeyValueStore<String, byte[]> store = driver.getKeyValueStore(STORE);
      assertThat(store.get("key-99")).hasSize(VALUE_BYTES);
      // Only stores configured by the setter charge this budget's cache.
      assertThat(BoundedRocksDbMemory.usedBytes(budget)).isPositive();
    }
  }

  /** Puts every record into the store. */
  private static final class PutProcessor implements Processor<String, byte[], Void, Void> {
    private KeyValueStore<String, byte[]> store;

    @Override
    public void init(ProcessorContext<Void, Void> context) {
      store = context.getStateStore(STORE);
    }

    @Override
    public void process(Record<String, byte[]> record) {
      store.put(record.key(), record.value());
    }
  }

  /** A check that may throw, run while a database is open. */
  private interface WhileOpen {
    void check() throws Exception;
  }

  private static Options options() {
    Options options = new Options();
    options.setTableFormatConfig(new BlockBasedTableConfig());
    return options;
  }

  /**
   * Writes {@value #RECORDS} values into a RocksDB database with Kafka Streams' memtable sizes and
   * whatever {@code configure} adds, reads every one back, and runs {@code whileOpen} before the
   * database closes (closing flushes the memtables either way).
   */
  private static void writeAndReadBack(
      Path dir, Consumer<Options> configure, WhileOpen whileOpen) throws Exception {
    Random random = new Random(42);
    Map<String, byte[]> written = new HashMap<>();
    try (Options options = options()) {
      options.setCreateIfMissing(true);
      options.setWriteBufferSize(16L * 1024 * 1024);
      options.setMaxWriteBufferNumber(3);
      configure.accept(options);
      Files.createDirectories(dir);
      try (RocksDB db = RocksDB.open(options, dir.toString())) {
        for (int i = 0; i < RECORDS; i++) {
          byte[] value = new byte[VALUE_BYTES];
          random.nextBytes(value);
          written.put("key-" + i, value);
          db.put(("key-" + i).getBytes(StandardCharsets.UTF_8), value);
        }
        for (Map.Entry<String, byte[]> entry : written.entrySet()) {
          assertThat(db.get(entry.getKey().getBytes(StandardCharsets.UTF_8)))
              .as(entry.getKey())
              .isEqualTo(entry.getValue());
        }
        whileOpen.check();
      }
    }
  }

  private static long sstFiles(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(f -> f.toString().endsWith(".sst")).count();
    }
  }
}
