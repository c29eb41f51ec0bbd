package io.streamdown.bench;

import io.streamdown.schemas.TopicCatalog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * W5's measurement: how fast two Streams applications (Streamdown's enrich and aggregate, or the
 * floor's two) drain the backlog, from their committed offsets, and how much CPU each process
 * spent per event meanwhile.
 */
final class BacklogDrain {

  private BacklogDrain() {}

  /**
   * Two Streams applications drained one after the other: {@code first} reads {@code
   * firstInput}; {@code second} reads {@code secondInput}, or aggregate's input topics when null.
   */
  record Stages(
      String name,
      String first,
      List<String> firstInput,
      String second,
      List<String> secondInput,
      Map<String, Long> processes) {}

  /**
   * A drain's rate (NaN if it failed) and the CPU each of its processes spent per event over it,
   * in microseconds: a cost that, unlike the rate, barely depends on what else the machine runs.
   */
  record Result(double rps, Map<String, Double> cpuMicrosPerEvent) {
    static final Result FAILED = new Result(Double.NaN, Map.of());

    /** The CPU per event of the processes whose names start with one of {@code prefixes}. */
    double cpuOf(String... prefixes) {
      double sum = 0;
      boolean any = false;
      for (Map.Entry<String, Double> process : cpuMicrosPerEvent.entrySet()) {
        for (String prefix : prefixes) {
          if (process.getKey().startsWith(prefix)) {
            sum += process.getValue();
            any = true;
          }
        }
      }
      return any ? sum : Double.NaN;
    }

    /** "name 12.3, other 4.5". */
    String cpuSplit() {
      List<String> parts = new ArrayList<>();
      cpuMicrosPerEvent.forEach(
          (process, micros) -> parts.add(String.format(Locale.ROOT, "%s %.1f", process, micros)));
      return String.join(", ", parts);
    }
  }

  /**
   * Measures a drain of the backlog ({@code start} to {@code end}, partition to offset, holding
   * {@code events} events): from the first stage's first committed progress on it until neither
   * stage has lag; the share the first stage had done by that first commit is taken out of the
   * count. {@link Result#FAILED} if the deadline passes first.
   *
   * @param topicPrefix the stack's topic prefix (aggregate's input topics, when {@link
   *     Stages#secondInput()} is null)
   */
  static Result measure(
      String bootstrap,
      String topicPrefix,
      YsbBacklog backlog,
      Map<Integer, Long> start,
      Map<Integer, Long> end,
      long events,
      Stages stages,
      Duration deadline,
      Consumer<String> say) {
    long span = YsbBacklog.span(start, end);
    long until = System.nanoTime() + deadline.toNanos();
    long first = -1;
    long doneAtFirst = 0;
    CpuUse.Snapshot cpuAtFirst = null;
    while (first < 0 && System.nanoTime() < until) {
      doneAtFirst = YsbBacklog.span(start, backlog.committed(stages.first()));
      if (doneAtFirst > 0) {
        first = System.nanoTime();
        cpuAtFirst = CpuUse.of(stages.processes());
      } else {
        pause();
      }
    }
    if (first < 0) {
      say.accept(stages.name() + ": no progress committed within " + deadline.toMinutes() + " min");
      return Result.FAILED;
    }
    TopicCatalog topics = new TopicCatalog(topicPrefix);
    double rps;
    try (PipelineLag lags = new PipelineLag(bootstrap)) {
      List<String> secondInput =
          stages.secondInput() != null ? stages.secondInput() : lags.aggregateInput(topics);
      rps = drained(lags, stages, secondInput, first, doneAtFirst, span, events, until, say);
    }
    if (Double.isNaN(rps)) {
      return Result.FAILED;
    }
    long counted = Math.round(events * (1 - (double) doneAtFirst / Math.max(1, span)));
    Map<String, Double> cpu = new LinkedHashMap<>();
    CpuUse.of(stages.processes())
        .since(cpuAtFirst)
        .forEach((process, used) -> cpu.put(process, CpuUse.microsPerEvent(used, counted)));
    Result drain = new Result(rps, cpu);
    say.accept(stages.name() + ": CPU µs per event: " + drain.cpuSplit());
    return drain;
  }

  /** Polls until neither stage has lag; the rate, or NaN at {@code until}. */
  private static double drained(
      PipelineLag lags,
      Stages stages,
      List<String> secondInput,
      long first,
      long doneAtFirst,
      long span,
      long events,
      long until,
      Consumer<String> say) {
    long lastReport = System.nanoTime();
    while (System.nanoTime() < until) {
      // The first stage first: once it has no lag, all its output is committed and the second
      // stage's input is final.
      long firstLag = lags.lag(stages.first(), stages.firstInput());
      long secondLag = firstLag == 0 ? lags.lag(stages.second(), secondInput) : -1;
      long now = System.nanoTime();
      if (firstLag == 0 && secondLag == 0) {
        double counted = events * (1 - (double) doneAtFirst / Math.max(1, span));
        double rps = counted / ((now - first) / 1e9);
        say.accept(
            String.format(
                Locale.ROOT,
                "%s: drained in %.1f s from the first commit -> %.0f events/s",
                stages.name(),
                (now - first) / 1e9,
                rps));
        return rps;
      }
      if (now - lastReport > 5_000_000_000L) {
        say.accept(
            "  "
                + stages.name()
                + " lag: "
                + stages.first()
                + " "
                + firstLag
                + ", "
                + stages.second()
                + " "
                + (secondLag < 0 ? "(after the first)" : secondLag));
        lastReport = now;
      }
      pause();
    }
    say.accept(stages.name() + ": not drained before the deadline");
    return Double.NaN;
  }

  private static void pause() {
    try {
      Thread.sleep(50); // the polling interval of a deadline loop
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
