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
  void readsTheTicksOfAStatLineWhoseNameHoldsSpacesAndParentheses() {
    String compiler =
        "4242 (C2 CompilerThre) S 1 4242 4242 0 -1 4194624 2360 0 0 0 1131 433 0 0 20 0 19 0";
    String odd = "7 (a) b (c) R 1 7 7 0 -1 0 0 0 0 0 5 6 0 0 20 0 1 0";

    assertThat(CpuUse.isCompilerThread(compiler)).isTrue();
    assertThat(CpuUse.cpuTicks(compiler)).isEqualTo(1131 + 433);
    assertThat(CpuUse.isCompilerThread(odd)).isFalse();
    assertThat(CpuUse.cpuTicks(odd)).isEqualTo(11);
    assertThat(CpuUse.isCompilerThread("9 (C1 CompilerThre) S 1")).isTrue();
    assertThat(CpuUse.isCompilerThread("9 (main) S 1")).isFalse();
  }

  @Test
  void collectorThreadsAreTheVmThreadAndTheCollectorsOwn() {
    assertThat(CpuUse.isCollectorThread("9 (VM Thread) S 1")).isTrue();
    assertThat(CpuUse.isCollectorThread("9 (GC Thread#1) S 1")).isTrue();
    assertThat(CpuUse.isCollectorThread("9 (G1 Conc#0) S 1")).isTrue();
    assertThat(CpuUse.isCollectorThread("9 (VM Periodic Tas) S 1")).isFalse();
    assertThat(CpuUse.isCollectorThread("9 (C2 CompilerThre) S 1")).isFalse();
    assertThat(CpuUse.isCompilerThread("9 (VM Thread) S 1")).isFalse();
  }

  @Test
  void theCollectorsTicksAreCountedApartFromTheCompilers() {
    CpuUse.Snapshot before =
        new CpuUse.Snapshot(
            Map.of("svc", Duration.ofSeconds(10)),
            Map.of("svc", Map.of(11L, 30L)),
            Map.of("svc", Map.of(2L, 100L)));
    CpuUse.Snapshot after =
        new CpuUse.Snapshot(
            Map.of("svc", Duration.ofSeconds(12)),
            Map.of("svc", Map.of(11L, 35L)),
            Map.of("svc", Map.of(2L, 140L)));

    assertThat(after.gcSince(before)).containsEntry("svc", Duration.ofMillis(400));
    assertThat(after.jitSince(before)).containsEntry("svc", Duration.ofMillis(50));

    long self = ProcessHandle.current().pid();
    if (java.nio.file.Files.isDirectory(java.nio.file.Path.of("/proc/self/task"))) {
      // Every HotSpot JVM has a VM Thread, whichever collector it runs.
      assertThat(
              CpuUse.ticksOf(CpuUse.threadStats(self).orElseThrow(), CpuUse::isCollectorThread))
          .isNotEmpty();
    }
  }

  @Test
  void countsTheJitCompilersOfThisProcessWhereProcIsThere() {
    long self = ProcessHandle.current().pid();
    CpuUse.Snapshot snapshot = CpuUse.of(Map.of("self", self));

    if (java.nio.file.Files.isDirectory(java.nio.file.Path.of("/proc/self/task"))) {
      // This JVM has compiled the test framework's code by now.
      assertThat(snapshot.jitByProcess().get("self")).isPositive();
      assertThat(snapshot.jitByProcess().get("self")).isLessThanOrEqualTo(
          snapshot.byProcess().get("self"));
    } else {
      assertThat(snapshot.jitByProcess()).isEmpty();
    }
  }

  @Test
  void aCompilerThreadThatEndedCannotMakeTheJitNegative() {
    // Thread 11 ran 30 ticks and ended; 12 ran on by 5 ticks; 13 is new with 7.
    CpuUse.Snapshot before =
        new CpuUse.Snapshot(
            Map.of("svc", Duration.ofSeconds(10)),
            Map.of("svc", Map.of(11L, 30L, 12L, 40L)),
            Map.of());
    CpuUse.Snapshot after =
        new CpuUse.Snapshot(
            Map.of("svc", Duration.ofSeconds(12)),
            Map.of("svc", Map.of(12L, 45L, 13L, 7L)),
            Map.of());

    assertThat(after.jitSince(before)).containsEntry("svc", Duration.ofMillis(120));
    assertThat(after.since(before)).containsEntry("svc", Duration.ofSeconds(2));
    assertThat(after.jitByProcess()).containsEntry("svc", Duration.ofMillis(520));
  }

  @Test
  void microsPerEvent() {
    assertThat(CpuUse.microsPerEvent(Duration.ofSeconds(2), 100_000)).isEqualTo(20.0);
    assertThat(CpuUse.microsPerEvent(Duration.ofSeconds(2), 0)).isNaN();
  }
}
