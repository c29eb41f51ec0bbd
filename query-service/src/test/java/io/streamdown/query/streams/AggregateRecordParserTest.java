package io.streamdown.query.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamdown.query.Aggregates;
import io.streamdown.query.TestViews;
import io.streamdown.schemas.Json;
import io.streamdown.schemas.WindowAggregate;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class AggregateRecordParserTest {

  private final AggregateRecordParser parser = new AggregateRecordParser();
  private final WindowAggregate aggregate =
      Aggregates.withValues(TestViews.BY_SOURCE, List.of("temp", "dev-1"), 60_000, 60_000, 2.5);

  @Test
  void parsesKeyAndValue() throws Exception {
    IncomingAggregate parsed = parser.parse(Aggregates.keyText(aggregate), Json.write(aggregate));

    assertThat(parsed.key()).isEqualTo(aggregate.key());
    assertThat(parsed.tombstone()).isFalse();
    assertThat(parsed.aggregate().sum()).isEqualTo(aggregate.sum());
  }

  @Test
  void aNullValueIsATombstone() throws Exception {
    IncomingAggregate parsed = parser.parse(Aggregates.keyText(aggregate), null);

    assertThat(parsed.tombstone()).isTrue();
    assertThat(parsed.key()).isEqualTo(aggregate.key());
  }

  @Test
  void rejectsWhatCannotBeStored() {
    String key = Aggregates.keyText(aggregate);
    assertThatThrownBy(() -> parser.parse(null, Json.write(aggregate)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> parser.parse(key, "null".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> parser.parse("{\"view\":\"v\",\"group\":[]}", Json.write(aggregate)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> parser.parse("{\"group\":[\"a\"]}", Json.write(aggregate)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> parser.parse(key, "{\"count\":-1}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> parser.parse(key, "[1]".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(Exception.class);
  }
}
