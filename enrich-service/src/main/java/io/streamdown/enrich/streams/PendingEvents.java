package io.streamdown.enrich.streams;

import io.streamdown.schemas.EnrichedEvent;
import io.streamdown.schemas.Event;
import io.streamdown.schemas.JsonSerde;
import io.streamdown.schemas.Reference;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.VersionedRecord;

/**
 * The store of events that found no reference data and wait for it ({@link ReferenceJoin}), and
 * the form of its entries. A key is the source (length-prefixed, so that one source's keys are a
 * prefix of their own and of no other source's) followed by a sequence number of the task, so a
 * source's waiting events are read back in the order they came. A value is the wall-clock time the
 * event started to wait, its record timestamp (the ingest time, which the reference lookup uses),
 * its record headers (which travel on with it, as with every other event) and the event as JSON.
 */
final class PendingEvents {

  private static final JsonSerde<Event> EVENT_SERDE = JsonSerde.of(Event.class);
  private static final int TIMES = 2 * Long.BYTES;

  private PendingEvents() {}

  /** The persistent key-value store, logged like the stage's other stores. */
  static StoreBuilder<KeyValueStore<Bytes, byte[]>> store(String name) {
    return Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(name), Serdes.Bytes(), Serdes.ByteArray())
        .withCachingDisabled();
  }

  /** The key prefix of every waiting event of {@code source}. */
  static Bytes prefix(String source) {
    byte[] name = source.getBytes(StandardCharsets.UTF_8);
    return Bytes.wrap(
        ByteBuffer.allocate(Integer.BYTES + name.length).putInt(name.length).put(name).array());
  }

  static Bytes key(String source, long sequence) {
    byte[] prefix = prefix(source).get();
    return Bytes.wrap(
        ByteBuffer.allocate(prefix.length + Long.BYTES).put(prefix).putLong(sequence).array());
  }

  /** The source a key belongs to. */
  static String source(Bytes key) {
    ByteBuffer bytes = ByteBuffer.wrap(key.get());
    int length = bytes.getInt();
    return new String(key.get(), Integer.BYTES, length, StandardCharsets.UTF_8);
  }

  /** The sequence number at the end of {@code key}. */
  static long sequence(Bytes key) {
    byte[] bytes = key.get();
    return ByteBuffer.wrap(bytes, bytes.length - Long.BYTES, Long.BYTES).getLong();
  }

  static byte[] value(long waitingSince, long recordTimestamp, Headers headers, Event event) {
    byte[] json = EVENT_SERDE.serializer().serialize(null, event);
    List<byte[]> names = new ArrayList<>();
    int headerBytes = Integer.BYTES;
    for (Header header : headers) {
      byte[] name = header.key().getBytes(StandardCharsets.UTF_8);
      names.add(name);
      headerBytes += 2 * Integer.BYTES + name.length;
      headerBytes += header.value() == null ? 0 : header.value().length;
    }
    ByteBuffer buffer = ByteBuffer.allocate(TIMES + headerBytes + json.length);
    buffer.putLong(waitingSince).putLong(recordTimestamp).putInt(names.size());
    int i = 0;
    for (Header header : headers) {
      byte[] name = names.get(i++);
      buffer.putInt(name.length).put(name);
      if (header.value() == null) {
        buffer.putInt(-1);
      } else {
        buffer.putInt(header.value().length).put(header.value());
      }
    }
    return buffer.put(json).array();
  }

  static long waitingSince(byte[] value) {
    return ByteBuffer.wrap(value, 0, Long.BYTES).getLong();
  }

  static long recordTimestamp(byte[] value) {
    return ByteBuffer.wrap(value, Long.BYTES, Long.BYTES).getLong();
  }

  /** A waiting event as read back: its record timestamp, headers and the event itself. */
  record Entry(long recordTimestamp, Headers headers, Event event) {

    /** The record it goes on as, joined with {@code reference} (none: unmatched). */
    Record<String, EnrichedEvent> joined(String source, VersionedRecord<Reference> reference) {
      return new Record<>(source, enriched(event, reference), recordTimestamp, headers);
    }
  }

  /** Reads a whole value, headers and event in one pass. */
  static Entry read(byte[] value) {
    ByteBuffer buffer = ByteBuffer.wrap(value, TIMES, value.length - TIMES);
    RecordHeaders headers = new RecordHeaders();
    int count = buffer.getInt();
    for (int i = 0; i < count; i++) {
      byte[] name = new byte[buffer.getInt()];
      buffer.get(name);
      int length = buffer.getInt();
      byte[] bytes = null;
      if (length >= 0) {
        bytes = new byte[length];
        buffer.get(bytes);
      }
      headers.add(new String(name, StandardCharsets.UTF_8), bytes);
    }
    Event event =
        EVENT_SERDE
            .deserializer()
            .deserialize(null, Arrays.copyOfRange(value, buffer.position(), value.length));
    return new Entry(recordTimestamp(value), headers, event);
  }

  /** The event joined with {@code reference}, as a stream-table left join gives it. */
  static EnrichedEvent enriched(Event event, VersionedRecord<Reference> reference) {
    return new EnrichedEvent(event, reference == null ? null : reference.value().attributes());
  }
}
