package io.streamdown.aggregate.streams;

import io.streamdown.schemas.BinaryFormats;
import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The binary form of a {@link Contribution} on a view's repartition topic: a format byte, the
 * event time and the ingest time (8 bytes each, big-endian), then a presence byte and 8 bytes of
 * value when there is one. 18 or 26 bytes. The leading format byte lets a later layout be told
 * apart from this one instead of being misread.
 */
public final class ContributionSerde implements Serde<Contribution> {

  static final byte FORMAT = 1;
  private static final int WITHOUT_VALUE = 1 + 8 + 8 + 1;
  private static final int WITH_VALUE = WITHOUT_VALUE + 8;

  @Override
  public Serializer<Contribution> serializer() {
    return (topic, contribution) -> {
      if (contribution == null) {
        return null;
      }
      boolean hasValue = contribution.value() != null;
      ByteBuffer buffer = ByteBuffer.allocate(hasValue ? WITH_VALUE : WITHOUT_VALUE);
      buffer.put(FORMAT).putLong(contribution.time()).putLong(contribution.ingestTime());
      buffer.put((byte) (hasValue ? 1 : 0));
      if (hasValue) {
        buffer.putDouble(contribution.value());
      }
      return buffer.array();
    };
  }

  @Override
  public Deserializer<Contribution> deserializer() {
    return (topic, bytes) -> {
      if (bytes == null) {
        return null;
      }
      if (bytes.length < WITHOUT_VALUE || bytes[0] != FORMAT) {
        throw BinaryFormats.notOfFormat("a contribution", FORMAT, bytes);
      }
      ByteBuffer buffer = ByteBuffer.wrap(bytes, 1, bytes.length - 1);
      long time = buffer.getLong();
      long ingestTime = buffer.getLong();
      boolean hasValue = buffer.get() != 0;
      if (hasValue && bytes.length < WITH_VALUE) {
        throw new SerializationException("a contribution with a value needs " + WITH_VALUE + " bytes");
      }
      return new Contribution(time, ingestTime, hasValue ? buffer.getDouble() : null);
    };
  }
}
