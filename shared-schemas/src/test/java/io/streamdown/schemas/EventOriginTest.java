package io.streamdown.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class EventOriginTest {

  @Test
  void aMarkIsReadBackAndReplacesAnEarlierOne() {
    Headers headers = new RecordHeaders();
    EventOrigin.mark(headers, 0);
    assertThat(EventOrigin.of(headers)).isZero();
    EventOrigin.mark(headers, 123_456_789);
    assertThat(EventOrigin.of(headers)).isEqualTo(123_456_789);
    assertThat(headers.headers(EventOrigin.HEADER)).hasSize(1);
  }

  @Test
  void aMissingOrForeignHeaderIsUnknown() {
    assertThat(EventOrigin.of(new RecordHeaders())).isEqualTo(EventOrigin.UNKNOWN);
    for (String value : new String[] {"", "-1", "x", "1 ", "+3", "1234567890", "3.0"}) {
      Headers headers = new RecordHeaders();
      headers.add(EventOrigin.HEADER, value.getBytes(StandardCharsets.UTF_8));
      assertThat(EventOrigin.of(headers)).as(value).isEqualTo(EventOrigin.UNKNOWN);
    }
    Headers nullValue = new RecordHeaders();
    nullValue.add(EventOrigin.HEADER, null);
    assertThat(EventOrigin.of(nullValue)).isEqualTo(EventOrigin.UNKNOWN);
  }

  @Test
  void anotherHeaderNamingAPartitionUsesTheSameForm() {
    Headers headers = new RecordHeaders();
    EventOrigin.mark(headers, 4);
    EventOrigin.putPartition(headers, "other", 12);
    assertThat(EventOrigin.partition(headers, "other")).isEqualTo(12);
    assertThat(new String(headers.lastHeader("other").value(), StandardCharsets.UTF_8))
        .isEqualTo("12");
    assertThat(EventOrigin.of(headers)).isEqualTo(4);
    assertThat(EventOrigin.partition(headers, "absent")).isEqualTo(EventOrigin.UNKNOWN);
  }

  @Test
  void aNegativePartitionIsRefused() {
    assertThatThrownBy(() -> EventOrigin.mark(new RecordHeaders(), -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("partition");
  }
}
