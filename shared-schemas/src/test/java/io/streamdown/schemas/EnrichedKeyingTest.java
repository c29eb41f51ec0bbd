package io.streamdown.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class EnrichedKeyingTest {

  private static ViewDefinition view(String name, String... groupBy) {
    return new ViewDefinition(
        name, List.of(groupBy), WindowSpec.tumbling(Duration.ofMinutes(1)), null, null, null);
  }

  private static final List<ViewDefinition> VIEWS =
      List.of(view("by-region", "type", "reference.region"), view("by-type", "type"));

  private static EnrichedEvent event(Map<String, Object> reference) {
    return new EnrichedEvent(
        new Event("e-1", "dev-1", "temp", 1L, 2.0, Map.of("floor", 3.0), 1L), reference);
  }

  @Test
  void theFirstViewKeysByDefaultAndSourceKeyingHasNone() {
    assertThat(EnrichedKeying.of(EnrichedKeying.Mode.FIRST_VIEW, VIEWS))
        .get()
        .extracting(keying -> keying.view().name())
        .isEqualTo("by-region");
    assertThat(EnrichedKeying.of(EnrichedKeying.Mode.SOURCE, VIEWS)).isEmpty();
    assertThat(EnrichedKeying.of(EnrichedKeying.Mode.FIRST_VIEW, List.of())).isEmpty();
  }

  @Test
  void theKeyIsTheViewsGroupKeyOrNullWithoutOne() {
    EnrichedKeying keying = EnrichedKeying.of(EnrichedKeying.Mode.FIRST_VIEW, VIEWS).orElseThrow();

    assertThat(keying.groupKeyOf(event(Map.of("region", "eu"))))
        .isEqualTo(GroupKey.of("temp", "eu").encode())
        .isEqualTo("[\"temp\",\"eu\"]");
    assertThat(keying.groupKeyOf(event(null))).isNull();
    assertThat(keying.groupKeyOf(event(Map.of("site", "oslo")))).isNull();
  }

  @Test
  void aMarkNamesTheViewAndReplacesAnyEarlierOne() {
    EnrichedKeying byRegion = EnrichedKeying.of(EnrichedKeying.Mode.FIRST_VIEW, VIEWS).orElseThrow();
    EnrichedKeying byType =
        EnrichedKeying.of(EnrichedKeying.Mode.FIRST_VIEW, List.of(VIEWS.get(1))).orElseThrow();
    Headers headers = new RecordHeaders();
    assertThat(byRegion.marked(headers)).isFalse();

    byType.mark(headers);
    byRegion.mark(headers);
    assertThat(headers.headers(EnrichedKeying.HEADER)).hasSize(1);
    assertThat(new String(headers.lastHeader(EnrichedKeying.HEADER).value(), StandardCharsets.UTF_8))
        .isEqualTo("by-region");
    assertThat(byRegion.marked(headers)).isTrue();
    assertThat(byType.marked(headers)).isFalse();

    EnrichedKeying.unmark(headers);
    assertThat(byRegion.marked(headers)).isFalse();
  }
}
