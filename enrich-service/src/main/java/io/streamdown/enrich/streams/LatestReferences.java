package io.streamdown.enrich.streams;

import io.streamdown.schemas.Reference;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.streams.state.VersionedKeyValueStore;
import org.apache.kafka.streams.state.VersionedRecord;

/**
 * The latest reference version of a task's most recently joined sources, in front of the
 * versioned store. Nearly every event is ingested after its source's latest version, which then
 * is the version current at its record timestamp; reading it from memory saves the store's
 * RocksDB read, the value's deserialization and the store's metrics, about a tenth of the stage's
 * CPU. An event older than the latest version reads the store's history as before.
 *
 * <p>Exact, not approximate: the store returns its latest version for every timestamp at or
 * after that version's, and {@link #forget} drops a source on every change the table stores (an
 * update, a deletion, an update older than the latest), so an entry is the store's latest
 * version for as long as it is kept. It lives in one processor of one task, which {@link #clear
 * clears} it whenever it is initialized (also after a task was revived and its store restored
 * anew), and nothing else writes the store while the processor runs.
 *
 * <p>Bounded: the least recently joined source goes when {@code capacity} are kept.
 */
final class LatestReferences {

  private final int capacity;
  private final EnrichListener listener;
  private final Map<String, VersionedRecord<Reference>> latest;

  /** @param listener told where each lookup was answered, so that the capacity can be sized */
  LatestReferences(int capacity, EnrichListener listener) {
    if (capacity < 0) {
      throw new IllegalArgumentException("capacity must not be negative, was " + capacity);
    }
    this.capacity = capacity;
    this.listener = listener;
    this.latest =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, VersionedRecord<Reference>> e) {
            return size() > LatestReferences.this.capacity;
          }
        };
  }

  /** The version of {@code source} current at {@code timestamp}, as {@code store} has it. */
  VersionedRecord<Reference> get(
      VersionedKeyValueStore<String, Reference> store, String source, long timestamp) {
    if (capacity == 0) {
      return fromStore(store, source, timestamp);
    }
    VersionedRecord<Reference> known = latest.get(source);
    boolean kept = known != null;
    if (!kept) {
      known = store.get(source);
      if (known == null) {
        // No latest version (none yet, or deleted): the store alone knows what was before.
        return fromStore(store, source, timestamp);
      }
      latest.put(source, known); // read-only attributes: ReferenceValueSerde gives no others
    }
    if (known.timestamp() > timestamp) {
      return fromStore(store, source, timestamp); // ingested before the latest version
    }
    if (kept) {
      listener.referenceFromMemory();
    } else {
      listener.referenceFromStore(); // read just now, to be kept
    }
    return known;
  }

  private VersionedRecord<Reference> fromStore(
      VersionedKeyValueStore<String, Reference> store, String source, long timestamp) {
    listener.referenceFromStore();
    return store.get(source, timestamp);
  }

  /** Drops {@code source}: the table has just stored a change of it. */
  void forget(String source) {
    latest.remove(source);
  }

  /** Drops every source: the store may hold other latest versions now (a restored task). */
  void clear() {
    latest.clear();
  }

  int size() {
    return latest.size();
  }
}
