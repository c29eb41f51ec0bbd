package io.streamdown.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class StoredAggregateSerdeTest {

  private final StoredAggregateSerde serde = new StoredAggregateSerde();

  private static Map<String, String> group() {
    Map<String, String> group = new LinkedHashMap<>();
    group.put("type", "view");
    group.put("reference.campaign_id", "cämpaign-7 \"quoted\"");
    return group;
  }

  private static WindowAggregate withValues() {
    return WindowAggregate.empty("ysb", group(), 0L, 0L)
        .plus(1_000L, 1_200L, 4.5)
        .plus(900L, 1_300L, -2.0)
        .plus(1_100L, 1_250L, null);
  }

  private WindowAggregate roundTrip(WindowAggregate aggregate) {
    return serde.deserializer().deserialize("t", serde.serializer().serialize("t", aggregate));
  }

  /** Records compare byte arrays by identity; their JSON compares every field by value. */
  private static void assertSame(WindowAggregate actual, WindowAggregate expected) {
    assertThat(new String(Json.write(actual), StandardCharsets.UTF_8))
        .isEqualTo(new String(Json.write(expected), StandardCharsets.UTF_8));
    assertThat(List.copyOf(actual.group().keySet())).isEqualTo(List.copyOf(expected.group().keySet()));
  }

  @Test
  void roundTripsEveryField() {
    WindowAggregate full = withValues();
    WindowAggregate empty = WindowAggregate.empty("v", Map.of(), 5L, 15L);
    WindowAggregate noSketch =
        new WindowAggregate(
            "v", Map.of("a", "b"), 1, 2, 3, 0, 0.0, null, null, 4, 5, 6, null);

    assertSame(roundTrip(full), full);
    assertThat(roundTrip(full).min()).isEqualTo(-2.0);
    assertThat(roundTrip(full).count()).isEqualTo(3);
    assertThat(Arrays.equals(roundTrip(full).sketch(), full.sketch())).isTrue();
    assertSame(roundTrip(empty), empty);
    assertThat(roundTrip(empty).min()).isNull();
    assertThat(roundTrip(noSketch).sketch()).isNull();
    assertThat(roundTrip(null)).isNull();
  }

  @Test
  void isSmallerThanTheJson() {
    WindowAggregate full = withValues();

    byte[] bytes = serde.serializer().serialize("t", full);

    assertThat(bytes[0]).isEqualTo(StoredAggregateSerde.FORMAT);
    assertThat(bytes.length).isLessThan(Json.write(full).length);
  }

  @Test
  void readsTheJsonThatEarlierVersionsStored() {
    WindowAggregate full = withValues();
    byte[] legacy = Json.write(full);

    WindowAggregate read = serde.deserializer().deserialize("t", legacy);

    assertSame(read, full);
    // The next update writes the binary form.
    assertThat(serde.serializer().serialize("t", read.plus(1L, 1L, null))[0])
        .isEqualTo(StoredAggregateSerde.FORMAT);
  }

  @Test
  void refusesOtherFormatsAndTruncatedBytes() {
    byte[] bytes = serde.serializer().serialize("t", withValues());
    byte[] otherFormat = bytes.clone();
    otherFormat[0] = 9;
    byte[] truncated = Arrays.copyOf(bytes, bytes.length - 3);
    byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);

    assertThatThrownBy(() -> serde.deserializer().deserialize("t", otherFormat))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("format 9");
    assertThatThrownBy(() -> serde.deserializer().deserialize("t", truncated))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("truncated");
    assertThatThrownBy(() -> serde.deserializer().deserialize("t", longer))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("too many");
    assertThatThrownBy(() -> serde.deserializer().deserialize("t", new byte[0]))
        .isInstanceOf(SerializationException.class);
    assertThatThrownBy(() -> serde.deserializer().deserialize("t", "{\"count\":".getBytes()))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("JSON");
  }
}
