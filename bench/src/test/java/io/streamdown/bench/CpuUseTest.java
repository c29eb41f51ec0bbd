package io.streamdown.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CpuUseTest {

  /** Keeps the busy loop from being optimized away. */
  private static volatile long sink;

  @Test
  void measuresThisProcessAndLeavesOutWhatIsGone() {
    long self = ProcessHandle.current().pid();
    CpuUse.Snapshot before = CpuUse.of(Map.of("self", self, "gone", Long.MAX_VALUE));
    // Burn some CPU so that the difference is positive.
    long x = 0;
    long until = System.nanoTime() + 200_000_000L;
    while (System.nanoTime() < until) {
      x += Long.numberOfTrailingZeros(x + System.nanoTime());
    }
    sink = x;
    CpuUse.Snapshot after = CpuUse.of(Map.of("self", self));

    assertThat(before.byProcess()).containsOnlyKeys("self");
    Map<String, Duration> used = after.since(before);
    assertThat(used).containsOnlyKeys("self");
    assertThat(used.get("self")).isPositive();
  }

  @Test
  void microsPerEvent() {
    assertThat(CpuUse.microsPerEvent(Duration.ofSeconds(2), 100_000)).isEqualTo(20.0);
    assertThat(CpuUse.microsPerEvent(Duration.ofSeconds(2), 0)).isNaN();
  }
}
