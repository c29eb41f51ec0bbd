package io.streamdown.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlinkPeerTest {

  @TempDir Path home;

  @Test
  void readsTheJobsResultFile() {
    FlinkPeer.Result result =
        FlinkPeer.parse(
            "{\"records\":6,\"expected\":6,\"references\":1000,\"unjoined\":1,\"late\":0,"
                + "\"seconds\":0.5,\"rps\":12.0,\"cells\":"
                + "[[10000,\"click\",\"c-1\",3],[10000,\"view\",\"c-1\",2]]}");

    assertThat(result.records()).isEqualTo(6);
    assertThat(result.references()).isEqualTo(1000);
    assertThat(result.unjoined()).isEqualTo(1);
    assertThat(result.late()).isZero();
    assertThat(result.accounting())
        .isEqualTo(
            "read 6 events and 1,000 references; dropped 1 events without a campaign, 0 late");
    assertThat(result.recordsPerSecond()).isEqualTo(12.0);
    assertThat(result.cells())
        .isEqualTo(
            Map.of(
                new YsbCounts.Cell(10_000, "click", "c-1"), 3L,
                new YsbCounts.Cell(10_000, "view", "c-1"), 2L));
  }

  @Test
  void namesEveryDifferingCell() {
    YsbCounts.Cell a = new YsbCounts.Cell(0, "view", "c-1");
    YsbCounts.Cell b = new YsbCounts.Cell(0, "click", "c-2");
    YsbCounts.Cell c = new YsbCounts.Cell(10_000, "view", "c-1");

    List<String> differences = FlinkPeer.mismatches(Map.of(a, 2L, b, 1L), Map.of(a, 2L, c, 4L), 10);

    assertThat(FlinkPeer.mismatches(Map.of(a, 2L), Map.of(a, 2L), 10)).isEmpty();
    assertThat(differences)
        .containsExactly(
            "window 0 click/c-2: expected 1, Flink 0",
            "window 10000 view/c-1: expected 0, Flink 4");
  }

  @Test
  void refusesToRunWhenTheJobIsNotBuilt() {
    assertThatThrownBy(
            () ->
                FlinkPeer.run(
                    home,
                    List.of(),
                    "localhost:1",
                    "t",
                    "r",
                    Map.of(0, 0L),
                    1,
                    home.resolve("work"),
                    Duration.ofSeconds(5),
                    line -> {}))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("the Flink job is not built");
  }

  @Test
  void theBacklogSitsInWholeWindowsTwoHoursBack() {
    long now = 1_800_000_123_456L;
    long first = BenchMain.w5FirstEventTime(now);

    assertThat(Math.floorMod(first, Ysb.WINDOW_MILLIS)).isZero();
    assertThat(now - first).isBetween(7_200_000L, 7_200_000L + Ysb.WINDOW_MILLIS);
    assertThat(BenchOptions.DEFAULT_W5_SPAN).isLessThan(Duration.ofSeconds(40));
  }
}
