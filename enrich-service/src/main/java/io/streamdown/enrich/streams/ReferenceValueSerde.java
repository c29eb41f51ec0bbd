package io.streamdown.enrich.streams;

import io.streamdown.schemas.JsonSerde;
import io.streamdown.schemas.Reference;
import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The value serde of the reference table's store. The join reads the version of a source's
 * reference data from the store for every event, as bytes, and parsing those bytes again each
 * time was about a twentieth of enrich's CPU; a source's reference data changes rarely, so the
 * parsed value is kept by the bytes it was parsed from, and the same bytes give the same value.
 *
 * <p>The cache is keyed by content, so it can never return a value for other bytes, whatever the
 * store does with its arrays. It is shared by every stream thread (a topology's serde is one
 * instance) and bounded: values longer than {@link #MAX_CACHED_BYTES} are parsed every time, and
 * once {@link #MAX_ENTRIES} are held it starts over, which keeps it small at the price of parsing
 * again when more sources than that are in use at once. Cached values are shared by the events
 * that join them, so their attributes are read-only.
 */
final class ReferenceValueSerde implements Serde<Reference> {

  /** Reference data of this many sources at most: YSB's 1,000 ads fit. */
  static final int MAX_ENTRIES = 4_096;

  /** Longer values are not cached, which bounds the cache to a few MB. */
  static final int MAX_CACHED_BYTES = 1_024;

  private final JsonSerde<Reference> json = JsonSerde.of(Reference.class);
  private final Deserializer<Reference> parser = json.deserializer();
  private final Map<ByteBuffer, Reference> parsed = new ConcurrentHashMap<>();

  @Override
  public Serializer<Reference> serializer() {
    return json.serializer();
  }

  @Override
  public Deserializer<Reference> deserializer() {
    return this::deserialize;
  }

  private Reference deserialize(String topic, byte[] bytes) {
    if (bytes == null || bytes.length > MAX_CACHED_BYTES) {
      return readOnly(parser.deserialize(topic, bytes));
    }
    Reference known = parsed.get(ByteBuffer.wrap(bytes));
    if (known != null) {
      return known;
    }
    Reference shared = readOnly(parser.deserialize(topic, bytes));
    if (shared == null) {
      return null;
    }
    if (parsed.size() >= MAX_ENTRIES) {
      parsed.clear();
    }
    // A copy: the key must not change if the caller reuses its array.
    parsed.put(ByteBuffer.wrap(bytes.clone()), shared);
    return shared;
  }

  /** The reference with attributes no event that shares them can change. */
  private static Reference readOnly(Reference reference) {
    if (reference == null) {
      return null;
    }
    return new Reference(
        reference.source(),
        Collections.unmodifiableMap(reference.attributes()),
        reference.updatedAt());
  }

  /** Values held, for tests. */
  int cached() {
    return parsed.size();
  }
}
