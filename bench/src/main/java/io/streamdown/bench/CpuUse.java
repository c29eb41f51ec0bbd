package io.streamdown.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * CPU time that each process of the stack spent over a phase, from the operating system's own
 * accounting ({@link ProcessHandle.Info#totalCpuDuration()}), so the cost of an event can be split
 * by stage. Unlike rates, CPU time per event barely depends on what else the machine runs, which
 * makes it the comparable number on a shared machine.
 *
 * <p>Of each process, the part its JIT compiler threads spent is counted apart (Linux only, from
 * {@code /proc/<pid>/task}): a JVM compiles its hot code during its first minutes, and on two
 * cores that work competes with the events. It says how warm a measurement was. The JVM starts and
 * ends compiler threads as its compile queue grows and shrinks, so the count is kept per thread:
 * a thread that ended during the phase takes its last ticks with it, which makes the JIT's share
 * a lower bound, never a negative number.
 */
public final class CpuUse {

  /** Clock ticks per second of {@code /proc/.../stat} ({@code USER_HZ}, 100 on Linux). */
  private static final long TICKS_PER_SECOND = 100;

  /**
   * CPU time per process at one moment, and the clock ticks of each of its JIT compiler threads
   * and of its garbage collector's threads (by thread id).
   */
  public record Snapshot(
      Map<String, Duration> byProcess,
      Map<String, Map<Long, Long>> compilerTicksByProcess,
      Map<String, Map<Long, Long>> collectorTicksByProcess) {

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

    /**
     * What the JIT compiler threads of each process used since {@code earlier}: of every compiler
     * thread alive now, its ticks since then (all of them if it is new).
     */
    public Map<String, Duration> jitSince(Snapshot earlier) {
      return ticksSince(compilerTicksByProcess, earlier.compilerTicksByProcess);
    }

    /** What the garbage collector's threads of each process used since {@code earlier}. */
    public Map<String, Duration> gcSince(Snapshot earlier) {
      return ticksSince(collectorTicksByProcess, earlier.collectorTicksByProcess);
    }

    /** The CPU time the compiler threads alive now have spent in all. */
    public Map<String, Duration> jitByProcess() {
      Map<String, Duration> total = new LinkedHashMap<>();
      compilerTicksByProcess.forEach(
          (name, threads) -> {
            long ticks = threads.values().stream().mapToLong(Long::longValue).sum();
            total.put(name, Duration.ofMillis(ticks * 1000 / TICKS_PER_SECOND));
          });
      return total;
    }

    private static Map<String, Duration> ticksSince(
        Map<String, Map<Long, Long>> now, Map<String, Map<Long, Long>> earlier) {
      Map<String, Duration> used = new LinkedHashMap<>();
      now.forEach(
          (name, threads) -> {
            Map<Long, Long> before = earlier.get(name);
            if (before != null) {
              long ticks = 0;
              for (Map.Entry<Long, Long> thread : threads.entrySet()) {
                ticks += thread.getValue() - before.getOrDefault(thread.getKey(), 0L);
              }
              used.put(name, Duration.ofMillis(ticks * 1000 / TICKS_PER_SECOND));
            }
          });
      return used;
    }
  }

  private CpuUse() {}

  /** A snapshot of the named processes; those that are gone are left out. */
  public static Snapshot of(Map<String, Long> pids) {
    Map<String, Duration> cpu = new LinkedHashMap<>();
    Map<String, Map<Long, Long>> jit = new LinkedHashMap<>();
    Map<String, Map<Long, Long>> gc = new LinkedHashMap<>();
    pids.forEach(
        (name, pid) ->
            cpuOf(pid)
                .ifPresent(
                    d -> {
                      cpu.put(name, d);
                      // One read of the process's threads serves both kinds.
                      threadStats(pid)
                          .ifPresent(
                              stats -> {
                                jit.put(name, ticksOf(stats, CpuUse::isCompilerThread));
                                gc.put(name, ticksOf(stats, CpuUse::isCollectorThread));
                              });
                    }));
    return new Snapshot(cpu, jit, gc);
  }

  /**
   * The {@code stat} line of each of the process's threads, by thread id; empty where {@code
   * /proc} is not there to ask.
   */
  static Optional<Map<Long, String>> threadStats(long pid) {
    Path tasks = Path.of("/proc", Long.toString(pid), "task");
    if (!Files.isDirectory(tasks)) {
      return Optional.empty();
    }
    Map<Long, String> stats = new HashMap<>();
    try (Stream<Path> threads = Files.list(tasks)) {
      for (Path thread : (Iterable<Path>) threads::iterator) {
        try {
          stats.put(
              Long.parseLong(thread.getFileName().toString()),
              Files.readString(thread.resolve("stat")));
        } catch (IOException | RuntimeException e) {
          // The thread ended between the listing and the read: it has nothing more to add.
        }
      }
    } catch (IOException e) {
      return Optional.empty();
    }
    return Optional.of(stats);
  }

  /** Clock ticks of each thread whose {@code stat} line {@code kind} accepts, by thread id. */
  static Map<Long, Long> ticksOf(Map<Long, String> stats, Predicate<String> kind) {
    Map<Long, Long> ticks = new HashMap<>();
    stats.forEach(
        (thread, stat) -> {
          if (kind.test(stat)) {
            ticks.put(thread, cpuTicks(stat));
          }
        });
    return ticks;
  }

  /**
   * Whether a {@code /proc/.../stat} line is that of a JIT compiler thread ({@code C1
   * CompilerThread<n>}, {@code C2 CompilerThread<n>}; the kernel keeps 15 characters of a
   * thread's name).
   */
  static boolean isCompilerThread(String stat) {
    String name = threadName(stat);
    return name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre");
  }

  /**
   * Whether a {@code /proc/.../stat} line is that of a garbage collector's thread. The serial
   * collector, which the services run, collects on the {@code VM Thread}, which also runs the
   * JVM's other (short) safepoint operations; the parallel collectors have {@code GC Thread#<n>}
   * and G1 its {@code G1 ...} threads as well.
   */
  static boolean isCollectorThread(String stat) {
    String name = threadName(stat);
    return name.equals("VM Thread") || name.startsWith("GC Thread") || name.startsWith("G1 ");
  }

  private static String threadName(String stat) {
    int open = stat.indexOf('(');
    int close = stat.lastIndexOf(')');
    return open < 0 || close < open ? "" : stat.substring(open + 1, close);
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
