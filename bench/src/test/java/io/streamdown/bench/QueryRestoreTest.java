package io.streamdown.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamdown.schemas.Json;
import io.streamdown.schemas.WindowAggregate;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class QueryRestoreTest {

  private static final long NOW = 1_796_000_000_000L;
  private final List<String> campaigns = new Ysb(7).campaigns();

  @Test
  void planCoversEveryGroupWithEnoughWindowsInsideTheRetention() {
    QueryRestore.Backlog backlog = QueryRestore.plan(campaigns, 10_000, NOW);

    assertThat(backlog.groups()).hasSize(300).doesNotHaveDuplicates();
    assertThat(backlog.windowsPerGroup()).isEqualTo(34);
    assertThat(backlog.windows()).isEqualTo(10_200).isGreaterThanOrEqualTo(10_000);
    long last = backlog.windowStart(backlog.windowsPerGroup() - 1);
    assertThat(last % Ysb.WINDOW_MILLIS).isZero();
    assertThat(last + Ysb.WINDOW_MILLIS).isLessThanOrEqualTo(NOW - 1_800_000L);
    assertThat(backlog.windowStart(0)).isGreaterThan(NOW - 6 * 3_600_000L);
  }

  @Test
  void moreWindowsThanTheRetentionHoldsAreRefused() {
    assertThat(QueryRestore.plan(campaigns, 540_000, NOW).windowsPerGroup()).isEqualTo(1_800);
    assertThat(QueryRestore.plan(campaigns, 540_000, NOW).windowStart(0))
        .isGreaterThan(NOW - 6 * 3_600_000L);
    assertThatThrownBy(() -> QueryRestore.plan(campaigns, 540_001, NOW))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at most 540000 windows");
  }

  @Test
  void aggregatesAreWhatTheCheckExpects() {
    QueryRestore.Backlog backlog = QueryRestore.plan(campaigns, 900, NOW);
    Set<Long> counts = new HashSet<>();
    for (int window = 0; window < backlog.windowsPerGroup(); window++) {
      Map<List<String>, Long> expected = backlog.expected(window);
      assertThat(expected).hasSize(300);
      for (int group = 0; group < backlog.groups().size(); group++) {
        WindowAggregate written =
            Json.read(
                Json.write(QueryRestore.aggregate(backlog, group, window)), WindowAggregate.class);
        List<String> key = backlog.groups().get(group);
        assertThat(written.view()).isEqualTo(Ysb.VIEW);
        assertThat(written.group())
            .containsExactly(
                Map.entry("type", key.get(0)), Map.entry("reference.campaign_id", key.get(1)));
        assertThat(written.windowStart()).isEqualTo(backlog.windowStart(window));
        assertThat(written.windowEnd() - written.windowStart()).isEqualTo(Ysb.WINDOW_MILLIS);
        assertThat(written.count()).isEqualTo(expected.get(key)).isBetween(1L, 97L);
        counts.add(written.count());
      }
    }
    // Not one count everywhere: a window read from the wrong place would show.
    assertThat(counts).hasSizeGreaterThan(50);
  }
}
