package io.streamdown.enrich.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamdown.schemas.Event;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.utils.Bytes;
import org.junit.jupiter.api.Test;

/** The form of a waiting event in the store: every part reads back as written. */
class PendingEventsTest {

  private static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");

  @Test
  void aValueReadsBackItsTimesHeadersAndEvent() {
    Event event = EnrichDriver.event("e-1", "Sensör 7", T0, T0.plusSeconds(1));
    RecordHeaders headers = new RecordHeaders();
    headers.add("trace", new byte[] {1, 2});
    headers.add("empty", null);
    headers.add("trace", new byte[] {3});

    byte[] value = PendingEvents.value(42L, T0.toEpochMilli(), headers, event);

    assertThat(PendingEvents.waitingSince(value)).isEqualTo(42L);
    assertThat(PendingEvents.recordTimestamp(value)).isEqualTo(T0.toEpochMilli());
    PendingEvents.Entry entry = PendingEvents.read(value);
    assertThat(entry.recordTimestamp()).isEqualTo(T0.toEpochMilli());
    assertThat(entry.event()).isEqualTo(event);
    Header[] read = entry.headers().toArray();
    assertThat(read).extracting(Header::key).containsExactly("trace", "empty", "trace");
    assertThat(read[0].value()).containsExactly(1, 2);
    assertThat(read[1].value()).isNull();
    assertThat(read[2].value()).containsExactly(3);
  }

  @Test
  void withoutHeadersTheEventStillReadsBack() {
    Event event = EnrichDriver.event("e-1", "dev-1", T0, T0);
    byte[] value = PendingEvents.value(1L, 2L, new RecordHeaders(), event);

    PendingEvents.Entry entry = PendingEvents.read(value);
    assertThat(entry.event()).isEqualTo(event);
    assertThat(entry.headers().toArray()).isEmpty();
  }

  @Test
  void aKeyNamesItsSourceAndSequenceAndOnlyItsOwnSourcesPrefixMatches() {
    Bytes key = PendingEvents.key("dev-1", 7L);

    assertThat(PendingEvents.source(key)).isEqualTo("dev-1");
    assertThat(PendingEvents.sequence(key)).isEqualTo(7L);
    assertThat(startsWith(key, PendingEvents.prefix("dev-1"))).isTrue();
    // "dev-1" is a prefix of "dev-10" as a string, not as a length-prefixed key.
    assertThat(startsWith(PendingEvents.key("dev-10", 1L), PendingEvents.prefix("dev-1")))
        .isFalse();
    assertThat(PendingEvents.source(PendingEvents.key("Sensör 7", 1L))).isEqualTo("Sensör 7");
    assertThat(new String(PendingEvents.prefix("é").get(), 4, 2, StandardCharsets.UTF_8))
        .isEqualTo("é");
  }

  private static boolean startsWith(Bytes key, Bytes prefix) {
    byte[] k = key.get();
    byte[] p = prefix.get();
    return k.length >= p.length && Arrays.equals(k, 0, p.length, p, 0, p.length);
  }
}
