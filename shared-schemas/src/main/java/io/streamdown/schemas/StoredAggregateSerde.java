package io.streamdown.schemas;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import tools.jackson.core.JacksonException;

/**
 * The form of a {@link WindowAggregate} in a store and its changelog: aggregate's view stores and
 * query's copies of them. Binary, because the aggregation reads and rewrites the stored aggregate
 * on every event (through the record cache, which holds serialized bytes) and reads it again for
 * every change it emits, and query reads every window a query answers with from its store. JSON
 * there cost a parse and a write per event and a parse per window read; {@code aggregates} itself
 * stays JSON, the published contract.
 *
 * <p>Layout, big-endian: a format byte ({@value #FORMAT}); the view; the group as a count and
 * that many name/value pairs in field order; window start and end, count and value count (longs);
 * sum (double); min and max (a presence byte, then a double if present); first event, last event
 * and last ingest time (longs); the sketch (length, then bytes). A string is its UTF-8 length
 * (int, -1 for null) and bytes.
 *
 * <p>Stores and changelogs written before this format hold JSON, which always starts with
 * {@code '{'}: such a value is still read (the first update rewrites it in this format), so an
 * upgrade keeps every window's state. A version that predates this format cannot read it back.
 */
public final class StoredAggregateSerde implements Serde<WindowAggregate> {

  /** The first byte of every value in this format. */
  public static final byte FORMAT = 1;
  private static final byte JSON_OBJECT = '{';

  @Override
  public Serializer<WindowAggregate> serializer() {
    return (topic, aggregate) -> aggregate == null ? null : write(aggregate);
  }

  @Override
  public Deserializer<WindowAggregate> deserializer() {
    return (topic, bytes) -> bytes == null ? null : read(bytes);
  }

  static byte[] write(WindowAggregate aggregate) {
    byte[] view = utf8(aggregate.view());
    Map<String, String> group = aggregate.group() == null ? Map.of() : aggregate.group();
    byte[][] names = new byte[group.size()][];
    byte[][] values = new byte[group.size()][];
    int size = 1 + stringSize(view) + 4;
    int i = 0;
    for (Map.Entry<String, String> field : group.entrySet()) {
      names[i] = utf8(field.getKey());
      values[i] = utf8(field.getValue());
      size += stringSize(names[i]) + stringSize(values[i]);
      i++;
    }
    byte[] sketch = aggregate.sketch();
    size += 4 * 8 + 8 + 2 * (1 + 8) + 3 * 8 + stringSize(sketch);
    ByteBuffer out = ByteBuffer.allocate(size);
    out.put(FORMAT);
    putBytes(out, view);
    out.putInt(group.size());
    for (int f = 0; f < names.length; f++) {
      putBytes(out, names[f]);
      putBytes(out, values[f]);
    }
    out.putLong(aggregate.windowStart())
        .putLong(aggregate.windowEnd())
        .putLong(aggregate.count())
        .putLong(aggregate.valueCount())
        .putDouble(aggregate.sum());
    putOptional(out, aggregate.min());
    putOptional(out, aggregate.max());
    out.putLong(aggregate.firstEventTime())
        .putLong(aggregate.lastEventTime())
        .putLong(aggregate.lastIngestTime());
    putBytes(out, sketch);
    return out.array();
  }

  static WindowAggregate read(byte[] bytes) {
    if (bytes.length > 0 && bytes[0] == JSON_OBJECT) {
      try {
        return Json.read(bytes, WindowAggregate.class);
      } catch (JacksonException e) {
        throw new SerializationException(
            "not a valid stored WindowAggregate (JSON): " + e.getOriginalMessage(), e);
      }
    }
    if (bytes.length == 0 || bytes[0] != FORMAT) {
      throw BinaryFormats.notOfFormat("a stored WindowAggregate", FORMAT, bytes);
    }
    try {
      ByteBuffer in = ByteBuffer.wrap(bytes, 1, bytes.length - 1);
      String view = string(in);
      int fields = in.getInt();
      if (fields < 0 || fields > in.remaining() / 8) {
        throw new SerializationException("a stored WindowAggregate with " + fields + " fields");
      }
      Map<String, String> group = new LinkedHashMap<>();
      for (int f = 0; f < fields; f++) {
        group.put(string(in), string(in));
      }
      long windowStart = in.getLong();
      long windowEnd = in.getLong();
      long count = in.getLong();
      long valueCount = in.getLong();
      double sum = in.getDouble();
      Double min = optional(in);
      Double max = optional(in);
      long firstEventTime = in.getLong();
      long lastEventTime = in.getLong();
      long lastIngestTime = in.getLong();
      byte[] sketch = bytes(in);
      if (in.hasRemaining()) {
        throw new SerializationException(
            "a stored WindowAggregate with " + in.remaining() + " bytes too many");
      }
      return new WindowAggregate(
          view,
          group,
          windowStart,
          windowEnd,
          count,
          valueCount,
          sum,
          min,
          max,
          firstEventTime,
          lastEventTime,
          lastIngestTime,
          sketch);
    } catch (BufferUnderflowException | IllegalArgumentException e) {
      throw new SerializationException(
          "a truncated or corrupt stored WindowAggregate (" + bytes.length + " bytes)", e);
    }
  }

  private static byte[] utf8(String text) {
    return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
  }

  private static int stringSize(byte[] bytes) {
    return 4 + (bytes == null ? 0 : bytes.length);
  }

  private static void putBytes(ByteBuffer out, byte[] bytes) {
    if (bytes == null) {
      out.putInt(-1);
    } else {
      out.putInt(bytes.length).put(bytes);
    }
  }

  private static void putOptional(ByteBuffer out, Double value) {
    if (value == null) {
      out.put((byte) 0).putDouble(0.0);
    } else {
      out.put((byte) 1).putDouble(value);
    }
  }

  private static byte[] bytes(ByteBuffer in) {
    int length = in.getInt();
    if (length < 0) {
      return null;
    }
    if (length > in.remaining()) {
      throw new BufferUnderflowException();
    }
    byte[] bytes = new byte[length];
    in.get(bytes);
    return bytes;
  }

  private static String string(ByteBuffer in) {
    byte[] bytes = bytes(in);
    return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
  }

  private static Double optional(ByteBuffer in) {
    boolean present = in.get() != 0;
    double value = in.getDouble();
    return present ? value : null;
  }
}
