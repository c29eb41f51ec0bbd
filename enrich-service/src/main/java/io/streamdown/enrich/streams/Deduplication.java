package io.streamdown.enrich.streams;

import io.streamdown.schemas.Event;
import io.streamdown.schemas.Json;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drops an event when an event with the same source and id was passed on within the horizon, in
 * record-timestamp (ingest) time, either before or after it; otherwise remembers it and passes it
 * on.
 *
 * <p>The ids live in a window store whose windows are buckets one horizon wide: an id passed on at
 * time {@code t} is stored at the start of {@code t}'s bucket, with {@code t} as its value. Every
 * id passed on within the horizon of {@code t} therefore lies in {@code t}'s bucket or in one of
 * its two neighbours, and the check is three point lookups, which RocksDB answers from its bloom
 * filters when the id is new (the common case), and which {@link BucketFilters} in front of the
 * store mostly answer without asking RocksDB. A range fetch over the horizon instead opens an
 * iterator on every live segment for every event; once the store has all its segments the point
 * lookups take 0.72 of its time ({@code DedupeLookupBench} in the bench module). A bucket holds
 * at most one entry per id: two ids passed on in the same bucket would be less than a horizon
 * apart, and the second one is a duplicate. The store keeps two horizons, so the previous bucket
 * stays while an event can still be within the horizon of its ids. Ids expire by dropping whole
 * segments instead of by deletes.
 *
 * <p>The key is the canonical JSON array {@code [source, eventId]}: an id is unique only within its
 * source, and several sources share a partition (and so this store).
 *
 * <p>Versions before the buckets kept each id at its own timestamp in {@link
 * EnrichTopology#LEGACY_DEDUPE_STORE}. That store is still read, and never written: an event
 * within the horizon of its newest entry is also looked up there, so a retry that spans an upgrade
 * is still dropped. After that, the store is not read again.
 */
final class Deduplication implements FixedKeyProcessor<String, Event, Event> {

  private static final Logger log = LoggerFactory.getLogger(Deduplication.class);

  /** {@link #legacyUntil} before the first event has looked at the legacy store. */
  private static final long NOT_YET_KNOWN = Long.MIN_VALUE;

  /** {@link #legacyUntil} when the legacy store is empty. */
  private static final long NEVER = Long.MIN_VALUE + 1;

  /**
   * How often the filters' load gets the stream thread, and for how long at most each time: the
   * load runs between records instead of holding the task's first record (and every other task
   * of the thread) back until it is done, about 2.3 µs per id, half a minute for the ids of two
   * quarter-hours at 8,000 events a second.
   */
  static final Duration LOAD_INTERVAL = Duration.ofMillis(1);

  private static final long LOAD_SLICE_NANOS = Duration.ofMillis(20).toNanos();
  private static final int LOAD_CHUNK = 1_000;

  private final String storeName;
  private final String legacyStoreName;
  private final long horizonMillis;
  private final long legacySegmentMillis;
  private final EnrichListener listener;
  private final DedupeFilterMemory filterMemory;
  private FixedKeyProcessorContext<String, Event> context;
  private BucketFilters filters;
  private Cancellable load;
  private long loadStarted;
  private WindowStore<String, Long> seen;
  private WindowStore<String, Long> legacy;
  private long legacyUntil = NOT_YET_KNOWN;

  /**
   * @param legacySegment the segment interval of the legacy store, which bounds how much later
   *     than its newest entry found first its newest entry of all can be
   */
  Deduplication(
      String storeName,
      String legacyStoreName,
      Duration horizon,
      Duration legacySegment,
      EnrichListener listener,
      DedupeFilterMemory filterMemory) {
    this.storeName = storeName;
    this.legacyStoreName = legacyStoreName;
    this.horizonMillis = horizon.toMillis();
    this.legacySegmentMillis = legacySegment.toMillis();
    this.listener = listener;
    this.filterMemory = filterMemory;
  }

  @Override
  public void init(FixedKeyProcessorContext<String, Event> context) {
    this.context = context;
    this.seen = context.getStateStore(storeName);
    this.legacy = context.getStateStore(legacyStoreName);
    // Kafka Streams initializes processors once their stores are restored, and again after a
    // task was revived and restored anew: the filters start from what the store holds now.
    releaseFilters();
    loadStarted = System.nanoTime();
    this.filters = BucketFilters.start(seen, horizonMillis, filterMemory);
    if (filters.loaded()) {
      logLoaded();
    } else {
      log.info(
          "task {}: loading the de-duplication filters from {} between records; until they are"
              + " loaded, every lookup goes to the store",
          context.taskId(),
          storeName);
      load = context.schedule(LOAD_INTERVAL, PunctuationType.WALL_CLOCK_TIME, now -> loadSome());
    }
  }

  /** One slice of the load: pieces of {@value #LOAD_CHUNK} ids until done or the slice is up. */
  private void loadSome() {
    long sliceEnd = System.nanoTime() + LOAD_SLICE_NANOS;
    while (!filters.loadSome(LOAD_CHUNK)) {
      if (System.nanoTime() - sliceEnd >= 0) {
        return;
      }
    }
    cancelLoad();
    logLoaded();
  }

  private void logLoaded() {
    if (filters.off()) {
      log.info(
          "task {}: no de-duplication filters (turned off, or the store failed under their load):"
              + " every lookup goes to {}",
          context.taskId(),
          storeName);
      return;
    }
    log.info(
        "task {}: de-duplication filters loaded with {} ids from {} in {} ms ({} bytes of filters"
            + " in this instance)",
        context.taskId(),
        filters.ids(),
        storeName,
        (System.nanoTime() - loadStarted) / 1_000_000,
        filterMemory.usedBytes());
  }

  @Override
  public void close() {
    releaseFilters();
  }

  private void cancelLoad() {
    if (load != null) {
      load.cancel();
      load = null;
    }
  }

  private void releaseFilters() {
    cancelLoad();
    if (filters != null) {
      filters.release();
      filters = null;
    }
  }

  @Override
  public void process(FixedKeyRecord<String, Event> record) {
    Event event = record.value();
    String key = key(event.source(), event.eventId());
    long hash = IdBloomFilter.hash(key);
    long timestamp = record.timestamp();
    if (seenWithinHorizon(key, hash, timestamp) || seenBeforeUpgrade(key, timestamp)) {
      listener.duplicate();
      return;
    }
    long bucket = bucketOf(timestamp, horizonMillis);
    seen.put(key, timestamp, bucket);
    filters.add(bucket, hash);
    context.forward(record);
  }

  private boolean seenWithinHorizon(String key, long hash, long timestamp) {
    long bucket = bucketOf(timestamp, horizonMillis);
    for (long offset = -1; offset <= 1; offset++) {
      long start = bucket + offset * horizonMillis;
      if (start < 0) {
        continue; // before the epoch, or past the end of time (the sum wrapped): no bucket there
      }
      if (!filters.mayHold(start, hash)) {
        continue;
      }
      Long passedOn = seen.fetch(key, start);
      if (passedOn != null && Math.abs(passedOn - timestamp) <= horizonMillis) {
        return true;
      }
    }
    return false;
  }

  private boolean seenBeforeUpgrade(String key, long timestamp) {
    if (legacyUntil == NOT_YET_KNOWN) {
      legacyUntil = legacyUntil();
    }
    if (timestamp > legacyUntil) {
      return false;
    }
    long from = Math.max(0L, timestamp - horizonMillis);
    long to = saturatedAdd(timestamp, horizonMillis);
    try (WindowStoreIterator<Long> earlier = legacy.fetch(key, from, to)) {
      return earlier.hasNext();
    }
  }

  /**
   * The last record time that can be within the horizon of an entry of the legacy store. Its
   * newest segment comes first backwards, and no entry of it lies more than a segment interval
   * after the first one found.
   */
  private long legacyUntil() {
    try (KeyValueIterator<Windowed<String>, Long> newest = legacy.backwardAll()) {
      if (!newest.hasNext()) {
        return NEVER;
      }
      long start = newest.next().key.window().start();
      return saturatedAdd(saturatedAdd(start, legacySegmentMillis), horizonMillis);
    }
  }

  /** The start of the bucket, one horizon wide, that holds {@code timestamp}. */
  static long bucketOf(long timestamp, long horizonMillis) {
    return Math.floorDiv(timestamp, horizonMillis) * horizonMillis;
  }

  private static long saturatedAdd(long a, long b) {
    return a > Long.MAX_VALUE - b ? Long.MAX_VALUE : a + b;
  }

  /**
   * The store key of an event: its source and id, as a canonical JSON array. Keys in stores written
   * by earlier versions were written by the JSON mapper, so this must stay byte-identical to its
   * output: two strings of printable ASCII that JSON writes as they are are concatenated directly
   * (the common case, and a sixtieth of enrich's CPU through the mapper), anything else still goes
   * through the mapper.
   */
  static String key(String source, String eventId) {
    if (verbatim(source) && verbatim(eventId)) {
      return "[\"" + source + "\",\"" + eventId + "\"]";
    }
    return Json.MAPPER.writeValueAsString(List.of(source, eventId));
  }

  /**
   * Whether the mapper writes {@code s} between its quotes as it is: printable ASCII without the
   * quote and the backslash, which it escapes ({@code DeduplicationKeyTest} holds it to that).
   */
  private static boolean verbatim(String s) {
    if (s == null) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
        return false;
      }
    }
    return true;
  }
}
