package io.streamdown.aggregate.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamdown.schemas.Event;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class ContributionSerdeTest {

  private final ContributionSerde serde = new ContributionSerde();

  private Contribution roundTrip(Contribution contribution) {
    byte[] bytes = serde.serializer().serialize("t", contribution);
    return serde.deserializer().deserialize("t", bytes);
  }

  @Test
  void roundTripsWithAndWithoutAValue() {
    Contribution withValue = new Contribution(1_700_000_000_123L, 1_700_000_000_456L, -2.5);
    Contribution without = new Contribution(5L, 7L, null);

    assertThat(roundTrip(withValue)).isEqualTo(withValue);
    assertThat(roundTrip(without)).isEqualTo(without);
    assertThat(serde.serializer().serialize("t", withValue)).hasSize(26);
    assertThat(serde.serializer().serialize("t", without)).hasSize(18);
    assertThat(roundTrip(null)).isNull();
  }

  @Test
  void takesTimesAndValueFromTheEvent() {
    Event event = new Event("e", "s", "t", 1000L, 4.0, Map.of("big", "x".repeat(500)), 1200L);

    assertThat(Contribution.of(event)).isEqualTo(new Contribution(1000L, 1200L, 4.0));
  }

  @Test
  void refusesBytesOfAnotherFormat() {
    byte[] bytes = serde.serializer().serialize("t", new Contribution(1, 2, 3.0));
    bytes[0] = 9;

    assertThatThrownBy(() -> serde.deserializer().deserialize("t", bytes))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("format 9");
    assertThatThrownBy(() -> serde.deserializer().deserialize("t", "{\"event\":{}}".getBytes()))
        .isInstanceOf(SerializationException.class);
  }
}
