package io.streamdown.query.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TopMergeTest {

  private record Row(String key, Double value) {}

  private static TopMerge.Part<Row> part(Long end, Set<Integer> partitions, Row... rows) {
    return new TopMerge.Part<>(end == null ? null : end - 10, end, List.of(rows), partitions);
  }

  @Test
  void theMergedRankingIsTheBestOfAllPartsTiesByKeyValuesLast() {
    var first = part(100L, Set.of(0), new Row("b", 5.0), new Row("d", null), new Row("a", 1.0));
    var second = part(100L, Set.of(1, 2), new Row("c", 5.0), new Row("e", 7.0));

    List<Row> merged = TopMerge.merge(List.of(first, second), Row::value, Row::key, 4);

    assertThat(merged).extracting(Row::key).containsExactly("e", "b", "c", "a");
    assertThat(TopMerge.merge(List.of(first, second), Row::value, Row::key, 10))
        .extracting(Row::key)
        .containsExactly("e", "b", "c", "a", "d");
  }

  @Test
  void partitionsNoPartAnsweredForAreMissing() {
    var first = part(100L, Set.of(0, 2));
    var second = part(null, Set.of(4));
    assertThat(TopMerge.missing(Set.of(0, 1, 2, 3, 4, 5), List.of(first, second)))
        .containsExactly(1, 3, 5);
    assertThat(TopMerge.missing(Set.of(0, 2), List.of(first))).isEmpty();
  }

  @Test
  void partsBehindTheLatestWindowAreFoundPartsWithoutWindowsAreNot() {
    var latest = part(200L, Set.of(0));
    var older = part(100L, Set.of(1));
    var empty = part(null, Set.of(2));
    List<TopMerge.Part<Row>> parts = List.of(latest, older, empty);

    assertThat(TopMerge.latestEnd(parts)).hasValue(200L);
    assertThat(TopMerge.behind(older, 200L)).isTrue();
    assertThat(TopMerge.behind(latest, 200L)).isFalse();
    assertThat(TopMerge.behind(empty, 200L)).isFalse();
    assertThat(TopMerge.latestEnd(List.of(empty))).isEmpty();
  }
}
