package io.streamdown.support;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;
import org.springframework.util.unit.DataSize;

/**
 * One memory budget for every RocksDB store of a service instance: a block cache shared by all of
 * them, to which their memtables (through a shared write buffer manager) and their index and
 * filter blocks are charged as well.
 *
 * <p>Kafka Streams otherwise gives every RocksDB instance its own 50 MB block cache and up to
 * three 16 MB memtables. A window store has one instance per segment and every task has its own,
 * so enrich at six partitions runs a dozen instances or more and its off-heap memory grows with
 * the partitions, the segments and the load, past any container limit set from the heap. With
 * the budget it stays near {@value #MEMORY_CONFIG} (default {@link #DEFAULT_MEMORY}) whatever the
 * partition count. Each store's memtable is a sixteenth of the memtables' share, so that stores
 * flush their own when full and the share only bounds an instance with many more stores.
 *
 * <p>Kafka Streams creates one setter per store instance and passes the Streams configuration,
 * where {@code streamdown-streams.yml} puts {@value #MEMORY_CONFIG} and {@value
 * #MEMTABLE_SHARE_CONFIG}. The cache and the write buffer manager are made once per budget and
 * live as long as the JVM: stores open and close as tasks move, and each would otherwise start
 * cold.
 */
public final class BoundedRocksDbMemory implements RocksDBConfigSetter {

  /** The budget of all RocksDB stores of the instance, e.g. {@code 64MB}. */
  public static final String MEMORY_CONFIG = "streamdown.rocksdb.memory";

  /** How much of the budget the memtables may take, above 0 and below 1. */
  public static final String MEMTABLE_SHARE_CONFIG = "streamdown.rocksdb.memtable.share";

  public static final DataSize DEFAULT_MEMORY = DataSize.ofMegabytes(64);

  public static final double DEFAULT_MEMTABLE_SHARE = 0.5;

  /**
   * How many stores' full memtables the memtables' share holds: each store's memtable is this
   * part of the share (at least {@link #MIN_WRITE_BUFFER}). When the share itself is full, the
   * write buffer manager makes whichever store writes next flush its own memtable, however small;
   * with Kafka Streams' 16 MB memtables a few stores' memtables filled it, and the stores still
   * written flushed a few kilobytes at a time, dozens of times a second, each flush another
   * compaction (bench README, "A flush storm in enrich"). With memtables this size a store
   * flushes its memtable when it is full, and the share is the limit only when an instance holds
   * more stores than this.
   */
  static final int WRITE_BUFFERS_PER_SHARE = 16;

  /** The smallest memtable a store gets, however small the budget. */
  static final long MIN_WRITE_BUFFER = DataSize.ofMegabytes(1).toBytes();

  /**
   * The part of the cache kept for index and filter blocks: evicted after data blocks, since a
   * lookup without them reads the file's whole index from disk.
   */
  private static final double INDEX_AND_FILTER_SHARE = 0.1;

  private static final ConcurrentMap<Budget, Shared> SHARED = new ConcurrentHashMap<>();

  /** What the stores of an instance may use. */
  public record Budget(long bytes, double memtableShare) {

    public Budget {
      if (bytes <= 0) {
        throw new IllegalArgumentException(
            MEMORY_CONFIG + " must be a positive size such as 64MB, not " + bytes + " bytes");
      }
      if (!(memtableShare > 0 && memtableShare < 1)) {
        throw new IllegalArgumentException(
            MEMTABLE_SHARE_CONFIG + " must be above 0 and below 1, not " + memtableShare);
      }
    }

    /** The bytes the memtables may take. */
    public long memtableBytes() {
      return (long) (bytes * memtableShare);
    }

    /** The memtable of each store ({@link #WRITE_BUFFERS_PER_SHARE}). */
    public long writeBufferBytes() {
      return Math.max(MIN_WRITE_BUFFER, memtableBytes() / WRITE_BUFFERS_PER_SHARE);
    }

    /**
     * The budget a Streams configuration gives: {@value #MEMORY_CONFIG} as a size ({@code 64MB},
     * {@code 1GB}, plain bytes) and {@value #MEMTABLE_SHARE_CONFIG} as a fraction, each with its
     * default when absent.
     */
    public static Budget of(Map<String, ?> configs) {
      return new Budget(
          size(configs.get(MEMORY_CONFIG)), share(configs.get(MEMTABLE_SHARE_CONFIG)));
    }

    /**
     * {@link #of}, for a service's start-up: a bad value's message also names the service
     * settings ({@code streamdown.streams.rocksdb.*}) that the Streams properties come from.
     */
    public static Budget ofSettings(Map<String, ?> configs) {
      try {
        return of(configs);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "Bad RocksDB memory budget (streamdown.streams.rocksdb.memory and memtable-share): "
                + e.getMessage(),
            e);
      }
    }

    private static long size(Object value) {
      if (value == null) {
        return DEFAULT_MEMORY.toBytes();
      }
      if (value instanceof Number number) {
        return number.longValue();
      }
      try {
        return DataSize.parse(value.toString().trim()).toBytes();
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            MEMORY_CONFIG + " must be a size such as 64MB or 1GB, not '" + value + "'", e);
      }
    }

    private static double share(Object value) {
      if (value == null) {
        return DEFAULT_MEMTABLE_SHARE;
      }
      if (value instanceof Number number) {
        return number.doubleValue();
      }
      try {
        return Double.parseDouble(value.toString().trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            MEMTABLE_SHARE_CONFIG + " must be a fraction such as 0.5, not '" + value + "'", e);
      }
    }

    @Override
    public String toString() {
      return readable(bytes) + ", memtables up to " + readable(memtableBytes()) + " of it";
    }

    /** Whole megabytes as such ({@code 64 MB}), anything else in bytes, so nothing is rounded. */
    private static String readable(long bytes) {
      long megabyte = DataSize.ofMegabytes(1).toBytes();
      return bytes % megabyte == 0 ? bytes / megabyte + " MB" : bytes + " bytes";
    }
  }

  private record Shared(Cache cache, WriteBufferManager writeBuffers) {}

  @Override
  public void setConfig(String storeName, Options options, Map<String, Object> configs) {
    Budget budget = Budget.of(configs);
    Shared shared = SHARED.computeIfAbsent(budget, BoundedRocksDbMemory::allocate);
    BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
    table.setBlockCache(shared.cache());
    // Index and filter blocks in the cache, so that they count against the budget too, in its
    // high-priority part.
    table.setCacheIndexAndFilterBlocks(true);
    table.setCacheIndexAndFilterBlocksWithHighPriority(true);
    options.setTableFormatConfig(table);
    options.setWriteBufferManager(shared.writeBuffers());
    options.setWriteBufferSize(budget.writeBufferBytes());
  }

  /**
   * What the stores under {@code budget} use now (cache, memtables, index and filter blocks), in
   * bytes; 0 before any store opened. Kafka Streams' per-store {@code block-cache-usage} reports
   * this same shared cache once per store, so a sum over its stores overcounts.
   */
  public static long usedBytes(Budget budget) {
    Shared shared = SHARED.get(budget);
    return shared == null ? 0 : shared.cache().getUsage();
  }

  @Override
  public void close(String storeName, Options options) {
    // The cache and the write buffer manager belong to every store of the instance, not to this
    // one; they are never closed (see the class comment).
  }

  private static Shared allocate(Budget budget) {
    // Not strict: a strict cache fails reads and writes once pinned blocks fill it, where a full
    // non-strict one only goes briefly over.
    Cache cache = new LRUCache(budget.bytes(), -1, false, INDEX_AND_FILTER_SHARE);
    return new Shared(cache, new WriteBufferManager(budget.memtableBytes(), cache));
  }
}
