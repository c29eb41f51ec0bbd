package io.streamdown.aggregate.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamdown.schemas.EnrichedEvent;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.core.JacksonException;

class EnrichedEventParserTest {

  private final EnrichedEventParser parser = new EnrichedEventParser();

  private EnrichedEvent parse(String json) {
    return parser.parse("k", json == null ? null : json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void acceptsAnEnrichedEventWithEitherTimeFormat() {
    EnrichedEvent millis =
        parse(
            "{\"event\":{\"source\":\"s\",\"type\":\"t\",\"time\":1000,\"ingestTime\":2000,"
                + "\"value\":1.5},\"reference\":{\"region\":\"eu\"},\"extra\":true}");
    assertThat(millis.event().time()).isEqualTo(1000L);
    assertThat(millis.reference()).containsEntry("region", "eu");
    EnrichedEvent rfc3339 =
        parse(
            "{\"event\":{\"source\":\"s\",\"type\":\"t\",\"time\":\"1970-01-01T00:00:01Z\","
                + "\"ingestTime\":2000}}");
    assertThat(rfc3339.event().time()).isEqualTo(1000L);
    assertThat(rfc3339.matched()).isFalse();
  }

  @Test
  void acceptsEventTimesUpToTheFutureSkewAfterIngest() {
    long skew = EnrichedEventParser.MAX_FUTURE_SKEW.toMillis();
    String atLimit =
        "{\"event\":{\"source\":\"s\",\"type\":\"t\",\"time\":" + (1000 + skew)
            + ",\"ingestTime\":1000}}";
    assertThat(parse(atLimit).event().time()).isEqualTo(1000 + skew);
    String pastLimit =
        "{\"event\":{\"source\":\"s\",\"type\":\"t\",\"time\":" + (1001 + skew)
            + ",\"ingestTime\":1000}}";
    assertThatThrownBy(() -> parse(pastLimit))
        .isInstanceOf(InvalidEnrichedEventException.class)
        .hasMessageContaining("after event.ingestTime");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "null",
        "{}",
        "{\"event\":null}",
        "{\"event\":{\"type\":\"t\",\"time\":1,\"ingestTime\":1}}",
        "{\"event\":{\"source\":\"s\",\"type\":\" \",\"time\":1,\"ingestTime\":1}}",
        "{\"event\":{\"source\":\"s\",\"type\":\"t\",\"ingestTime\":1}}",
        "{\"event\":{\"source\":\"s\",\"type\":\"t\",\"time\":-5,\"ingestTime\":1}}",
        "{\"event\":{\"source\":\"s\",\"type\":\"t\",\"time\":1}}",
        "{\"event\":{\"source\":\"s\",\"type\":\"t\",\"time\":1,\"ingestTime\":1,"
            + "\"attributes\":{\"nested\":{\"a\":1}}}}"
      })
  void rejectsWhatTheWindowsCannotUse(String json) {
    assertThatThrownBy(() -> parse(json)).isInstanceOf(InvalidEnrichedEventException.class);
  }

  @Test
  void rejectsTombstonesAndInvalidJson() {
    assertThatThrownBy(() -> parse(null)).isInstanceOf(InvalidEnrichedEventException.class);
    assertThatThrownBy(() -> parse("{\"event\":")).isInstanceOf(JacksonException.class);
    assertThatThrownBy(() -> parse("{\"event\":{\"time\":\"yesterday\"}}"))
        .isInstanceOf(JacksonException.class);
  }
}
