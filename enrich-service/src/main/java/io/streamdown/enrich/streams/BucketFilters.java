package io.streamdown.enrich.streams;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;

/**
 * Bloom filters in front of one task's de-duplication store, one per bucket, so that an id the
 * store does not hold (nearly every event's) is known new without asking RocksDB. A RocksDB point
 * lookup that finds nothing costs several microseconds: the memtables' skip lists, each file's
 * filter, and in RocksDB's Java binding a native exception per miss; two or three of them per
 * event were a fifth of enrich's CPU once the store held a million ids and more.
 *
 * <p>The filters never answer "not there" for an id the store holds in a bucket they cover: they
 * are loaded from the store when the task starts (after the store is restored), in pieces between
 * records, covering nothing until the load is done, and every id the task puts is added. Only
 * buckets from {@link #coveredFrom()} on are covered, at most the newest and the one before it,
 * which is every bucket an event within the horizon of the newest looks in; a lookup in an older
 * bucket (an event ingested long before the others) goes to the store.
 * A bucket whose filter could not grow within the {@link DedupeFilterMemory} limit is not filtered
 * either. A filter answers "maybe" for about 1.5 % of new ids, which then go to the store.
 *
 * <p>A bucket's filter is a chain: the first sized for a quarter more ids than the bucket before
 * it held (at least {@value #MIN_CAPACITY}), each next one twice the last, so a rate that is
 * steady, or grows by less than a quarter from one bucket to the next, needs one filter.
 */
final class BucketFilters {

  static final int MIN_CAPACITY = 1 << 16;

  private final long horizonMillis;
  private final DedupeFilterMemory memory;
  private final TreeMap<Long, Bucket> buckets = new TreeMap<>();
  private long coveredFrom = Long.MIN_VALUE;
  /** The entries the filters are being loaded from; null when not loading. */
  private KeyValueIterator<Windowed<String>, Long> loading;

  private BucketFilters(long horizonMillis, DedupeFilterMemory memory) {
    this.horizonMillis = horizonMillis;
    this.memory = memory;
  }

  /**
   * The filters of what {@code store} holds in its newest bucket and the one before it, loaded at
   * once (see {@link #start} and {@link #loadSome}).
   */
  static BucketFilters load(
      ReadOnlyWindowStore<String, Long> store, long horizonMillis, DedupeFilterMemory memory) {
    BucketFilters filters = start(store, horizonMillis, memory);
    while (!filters.loadSome(Integer.MAX_VALUE)) {
      // the whole load in one piece
    }
    return filters;
  }

  /**
   * Starts loading the filters of what {@code store} holds in its newest bucket and the one before
   * it. The newest entry backwards (the newest segment's) gives the newest bucket, or one a segment
   * older when a segment holds several buckets, in which case a bucket more is covered.
   *
   * <p>Until {@link #loadSome} has read every entry, no bucket counts as covered, so every lookup
   * goes to the store; ids added meanwhile go into the filters as they will after the load. An
   * empty store, or a limit of zero, needs no load.
   */
  static BucketFilters start(
      ReadOnlyWindowStore<String, Long> store, long horizonMillis, DedupeFilterMemory memory) {
    BucketFilters filters = new BucketFilters(horizonMillis, memory);
    if (memory.limitBytes() == 0) {
      filters.turnOff();
      return filters;
    }
    long newest;
    try (KeyValueIterator<Windowed<String>, Long> backwards = store.backwardAll()) {
      if (!backwards.hasNext()) {
        return filters; // an empty store: every bucket covered, none filled
      }
      newest = backwards.next().key.window().start();
    }
    filters.coveredFrom = Math.max(0L, newest - horizonMillis);
    filters.loading =
        store.fetchAll(
            Instant.ofEpochMilli(filters.coveredFrom), Instant.ofEpochMilli(Long.MAX_VALUE));
    return filters;
  }

  /**
   * Reads up to {@code maxIds} more of the store's entries into the filters.
   *
   * <p>The iterator stays open between calls. It reads one segment at a time, and Kafka Streams
   * opens a segment's iterator when it gets there, so a later segment's entries may include ids
   * added meanwhile, which are then counted twice in their bucket's size (only the next bucket's
   * first filter gets larger). A segment the store drops meanwhile is skipped by its iterator; its
   * bucket is not covered by then, as the put that made the store drop it went through {@link #add}
   * and moved the coverage past it. Should the store throw under the load, the filters give up and
   * send every lookup to the store.
   *
   * @return whether the load is done
   */
  boolean loadSome(int maxIds) {
    if (loading == null) {
      return true;
    }
    try {
      for (int read = 0; read < maxIds; read++) {
        if (!loading.hasNext()) {
          stopLoading();
          return true;
        }
        KeyValue<Windowed<String>, Long> entry = loading.next();
        add(entry.key.window().start(), IdBloomFilter.hash(entry.key.key()));
      }
      return false;
    } catch (InvalidStateStoreException e) {
      release(); // ends the load too
      turnOff();
      return true;
    }
  }

  /** Whether every entry the store held at the start has been read into the filters. */
  boolean loaded() {
    return loading == null;
  }

  /** False only when the store certainly holds no entry for the key in {@code bucket}. */
  boolean mayHold(long bucket, long hash) {
    if (loading != null || bucket < coveredFrom) {
      return true;
    }
    Bucket filter = buckets.get(bucket);
    return filter != null && filter.mightContain(hash);
  }

  /** Notes that the key was put into the store in {@code bucket}. */
  void add(long bucket, long hash) {
    if (bucket < coveredFrom) {
      return; // not covered: its lookups go to the store anyway
    }
    if (buckets.isEmpty() || bucket > buckets.lastKey()) {
      dropBefore(bucket - horizonMillis);
    }
    Bucket filter = buckets.get(bucket);
    if (filter == null) {
      Map.Entry<Long, Bucket> before = buckets.lowerEntry(bucket);
      long expected = before == null ? MIN_CAPACITY : before.getValue().size * 5L / 4;
      filter = new Bucket((int) Math.min(Integer.MAX_VALUE / 2, Math.max(MIN_CAPACITY, expected)));
      buckets.put(bucket, filter);
    }
    filter.add(hash);
  }

  /** Ids in the covered buckets (filtered or not). */
  long ids() {
    long ids = 0;
    for (Bucket bucket : buckets.values()) {
      ids += bucket.size;
    }
    return ids;
  }

  /** Whether no bucket is filtered: the limit is zero, or the store failed under the load. */
  boolean off() {
    return coveredFrom == Long.MAX_VALUE;
  }

  /** No bucket is covered from now on: every lookup goes to the store. */
  private void turnOff() {
    coveredFrom = Long.MAX_VALUE;
  }

  /** Where coverage starts: lookups in earlier buckets always go to the store. */
  long coveredFrom() {
    return coveredFrom;
  }

  /** Gives the filters' memory back and ends a load (when the task closes). */
  void release() {
    stopLoading();
    for (Bucket bucket : buckets.values()) {
      bucket.release();
    }
    buckets.clear();
  }

  private void stopLoading() {
    if (loading != null) {
      try {
        loading.close();
      } finally {
        loading = null;
      }
    }
  }

  private void dropBefore(long start) {
    if (start <= coveredFrom) {
      return;
    }
    coveredFrom = start;
    while (!buckets.isEmpty() && buckets.firstKey() < start) {
      buckets.pollFirstEntry().getValue().release();
    }
  }

  /** The filters of one bucket; {@code chain == null} once it could not grow (unfiltered). */
  private final class Bucket {
    private final int firstCapacity;
    private List<IdBloomFilter> chain = new ArrayList<>(2);
    private int size;

    Bucket(int firstCapacity) {
      this.firstCapacity = firstCapacity;
    }

    boolean mightContain(long hash) {
      if (chain == null) {
        return true;
      }
      for (IdBloomFilter filter : chain) {
        if (filter.mightContain(hash)) {
          return true;
        }
      }
      return false;
    }

    void add(long hash) {
      size++;
      if (chain == null) {
        return;
      }
      IdBloomFilter last = chain.isEmpty() ? null : chain.get(chain.size() - 1);
      if (last == null || last.isFull()) {
        int capacity =
            last == null
                ? firstCapacity
                : (int) Math.min(Integer.MAX_VALUE / 2, 2L * last.capacity());
        long needed = IdBloomFilter.bytesFor(capacity);
        if (!memory.reserve(needed)) {
          release(); // unfiltered from now on: its lookups go to the store
          return;
        }
        last = new IdBloomFilter(capacity);
        chain.add(last);
      }
      last.add(hash);
    }

    void release() {
      if (chain != null) {
        for (IdBloomFilter filter : chain) {
          memory.release(filter.bytes());
        }
        chain = null;
      }
    }
  }
}
