package io.streamdown.enrich.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamdown.schemas.Reference;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class ReferenceValueSerdeTest {

  private final ReferenceValueSerde serde = new ReferenceValueSerde();

  private Reference read(byte[] bytes) {
    return serde.deserializer().deserialize("store-changelog", bytes);
  }

  private byte[] write(Reference reference) {
    return serde.serializer().serialize("store-changelog", reference);
  }

  private static Reference reference(String source, String campaign, long updatedAt) {
    Map<String, Object> attributes = new LinkedHashMap<>();
    attributes.put("campaign_id", campaign);
    attributes.put("weight", 3);
    attributes.put("active", true);
    return new Reference(source, attributes, updatedAt);
  }

  @Test
  void theSameBytesGiveTheValueParsedBeforeAndEqualToAFreshParse() {
    Reference original = reference("ad-1", "c-7", 1_000L);
    byte[] bytes = write(original);

    Reference first = read(bytes);
    Reference second = read(bytes.clone());

    assertThat(first).isEqualTo(original);
    assertThat(second).isSameAs(first);
    assertThat(serde.cached()).isEqualTo(1);
    // Attribute order is kept: it decides the order in enriched events.
    assertThat(first.attributes().keySet()).containsExactly("campaign_id", "weight", "active");
  }

  @Test
  void otherBytesGiveTheirOwnValue() {
    Reference old = read(write(reference("ad-1", "c-7", 1_000L)));
    Reference updated = read(write(reference("ad-1", "c-8", 2_000L)));
    Reference other = read(write(reference("ad-2", "c-7", 1_000L)));

    assertThat(old.attributes()).containsEntry("campaign_id", "c-7");
    assertThat(updated.attributes()).containsEntry("campaign_id", "c-8");
    assertThat(updated.updatedAt()).isEqualTo(2_000L);
    assertThat(other.source()).isEqualTo("ad-2");
    assertThat(serde.cached()).isEqualTo(3);
  }

  @Test
  void anArrayChangedByItsOwnerAfterwardsDoesNotChangeWhatTheCacheHolds() {
    // "xA" and "YB" hash alike in a byte buffer ('x' - 31 = 'Y', 'A' + 1 = 'B', one place on),
    // so a key that shared the caller's array would be found, with the old value, after the
    // caller overwrote the array with the other one.
    byte[] bytes = write(reference("ad-1", "xA", 1_000L));
    byte[] other = write(reference("ad-1", "YB", 1_000L));
    assertThat(ByteBuffer.wrap(other)).hasSameHashCodeAs(ByteBuffer.wrap(bytes));
    read(bytes);
    System.arraycopy(other, 0, bytes, 0, bytes.length);

    assertThat(read(bytes).attributes()).containsEntry("campaign_id", "YB");
    assertThat(read(write(reference("ad-1", "xA", 1_000L))).attributes())
        .containsEntry("campaign_id", "xA");
  }

  @Test
  void sharedValuesCannotBeChangedByAnEventThatJoinedThem() {
    Reference shared = read(write(reference("ad-1", "c-7", 1_000L)));

    assertThatThrownBy(() -> shared.attributes().put("campaign_id", "x"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void theCacheStartsOverInsteadOfGrowingPastItsBound() {
    for (int i = 0; i < ReferenceValueSerde.MAX_ENTRIES + 10; i++) {
      Reference reference = read(write(reference("ad-" + i, "c-" + i, i)));
      assertThat(reference.source()).isEqualTo("ad-" + i);
    }

    assertThat(serde.cached()).isBetween(1, ReferenceValueSerde.MAX_ENTRIES);
  }

  @Test
  void longValuesAreParsedEveryTimeAndNotKept() {
    Reference big = reference("ad-1", "c".repeat(ReferenceValueSerde.MAX_CACHED_BYTES), 1L);
    byte[] bytes = write(big);

    assertThat(read(bytes)).isEqualTo(big);
    assertThat(read(bytes)).isEqualTo(big);
    assertThat(serde.cached()).isZero();
  }

  @Test
  void tombstonesAndBrokenBytesAreNotCached() {
    assertThat(read(null)).isNull();
    assertThat(read("null".getBytes(StandardCharsets.UTF_8))).isNull();
    assertThatThrownBy(() -> read("{\"source\":".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(SerializationException.class);

    assertThat(serde.cached()).isZero();
  }
}
