package io.streamdown.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * CPU time that each process of the stack spent over a phase, from the operating system's own
 * accounting ({@link ProcessHandle.Info#totalCpuDuration()}), so the cost of an event can be split
 * by stage. Unlike rates, CPU time per event barely depends on what else the machine runs, which
 * makes it the comparable number on a shared machine.
 *
 * <p>Of each process, the part its JIT compiler threads spent is counted apart (Linux only, from
 * {@code /proc/<pid>/task}): a JVM compiles its hot code during its first minutes, and on two
 * cores that work competes with the events. It says how warm a measurement was.
 */
public final class CpuUse {

  /** Clock ticks per second of {@code /proc/.../stat} ({@code USER_HZ}, 100 on Linux). */
  private static final long TICKS_PER_SECOND = 100;

  /** CPU time per process at one moment, and the part of it that the JIT compilers spent. */
  public record Snapshot(Map<String, Duration> byProcess, Map<String, Duration> jitByProcess) {

    /** What each process used since {@code earlier}; a process missing from either is left out. */
    public Map<String, Duration> since(Snapshot earlier) {
      return minus(byProcess, earlier.byProcess);
    }

    /** What the JIT compiler threads of each process used since {@code earlier}. */
    public Map<String, Duration> jitSince(Snapshot earlier) {
      return minus(jitByProcess, earlier.jitByProcess);
    }

    private static Map<String, Duration> minus(
        Map<String, Duration> now, Map<String, Duration> then) {
      Map<String, Duration> used = new LinkedHashMap<>();
      now.forEach(
          (name, cpu) -> {
            Duration before = then.get(name);
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
    Map<String, Duration> jit = new LinkedHashMap<>();
    pids.forEach(
        (name, pid) ->
            cpuOf(pid)
                .ifPresent(
                    d -> {
                      cpu.put(name, d);
                      jitOf(pid).ifPresent(j -> jit.put(name, j));
                    }));
    return new Snapshot(cpu, jit);
  }

  /**
   * CPU time of the process's JIT compiler threads ({@code C1 CompilerThread<n>}, {@code C2
   * CompilerThread<n>}; the kernel keeps 15 characters of a thread's name); empty where {@code
   * /proc} is not there to ask.
   */
  static Optional<Duration> jitOf(long pid) {
    Path tasks = Path.of("/proc", Long.toString(pid), "task");
    if (!Files.isDirectory(tasks)) {
      return Optional.empty();
    }
    long ticks = 0;
    try (Stream<Path> threads = Files.list(tasks)) {
      for (Path thread : (Iterable<Path>) threads::iterator) {
        try {
          String stat = Files.readString(thread.resolve("stat"));
          if (isCompilerThread(stat)) {
            ticks += cpuTicks(stat);
          }
        } catch (IOException | RuntimeException e) {
          // The thread ended between the listing and the read: it has nothing more to add.
        }
      }
    } catch (IOException e) {
      return Optional.empty();
    }
    return Optional.of(Duration.ofMillis(ticks * 1000 / TICKS_PER_SECOND));
  }

  /** Whether a {@code /proc/.../stat} line is that of a JIT compiler thread. */
  static boolean isCompilerThread(String stat) {
    int open = stat.indexOf('(');
    int close = stat.lastIndexOf(')');
    String name = open < 0 || close < open ? "" : stat.substring(open + 1, close);
    return name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre");
  }

  /**
   * User plus system clock ticks of a {@code /proc/.../stat} line: fields 14 and 15, counted after
   * the name, which is in parentheses and may itself hold spaces and parentheses.
   */
  static long cpuTicks(String stat) {
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
    // fields[0] is field 3 (the state), so field n is fields[n - 3].
    return Long.parseLong(fields[14 - 3]) + Long.parseLong(fields[15 - 3]);
  }

  static Optional<Duration> cpuOf(long pid) {
    return ProcessHandle.of(pid).flatMap(p -> p.info().totalCpuDuration());
  }

  /** Microseconds of CPU per event. */
  public static double microsPerEvent(Duration cpu, long events) {
    return events <= 0 ? Double.NaN : cpu.toNanos() / 1000.0 / events;
  }
}
