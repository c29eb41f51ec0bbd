package io.streamdown.bench;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * CPU time that each process of the stack spent over a phase, from the operating system's own
 * accounting ({@link ProcessHandle.Info#totalCpuDuration()}), so the cost of an event can be split
 * by stage. Unlike rates, CPU time per event barely depends on what else the machine runs, which
 * makes it the comparable number on a shared machine.
 */
public final class CpuUse {

  /** CPU time per process at one moment. */
  public record Snapshot(Map<String, Duration> byProcess) {

    /** What each process used since {@code earlier}; a process missing from either is left out. */
    public Map<String, Duration> since(Snapshot earlier) {
      Map<String, Duration> used = new LinkedHashMap<>();
      byProcess.forEach(
          (name, cpu) -> {
            Duration before = earlier.byProcess.get(name);
            if (before != null) {
              used.put(name, cpu.minus(before));
            }
          });
      return used;
    }
  }

  private CpuUse() {}

  /** A snapshot of the named processes; those that are gone are left out. */
  public static Snapshot of(Map<String, Long> pids) {
    Map<String, Duration> cpu = new LinkedHashMap<>();
    pids.forEach((name, pid) -> cpuOf(pid).ifPresent(d -> cpu.put(name, d)));
    return new Snapshot(cpu);
  }

  static Optional<Duration> cpuOf(long pid) {
    return ProcessHandle.of(pid).flatMap(p -> p.info().totalCpuDuration());
  }

  /** Microseconds of CPU per event. */
  public static double microsPerEvent(Duration cpu, long events) {
    return events <= 0 ? Double.NaN : cpu.toNanos() / 1000.0 / events;
  }
}
