package io.streamdown.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleFunction;

/**
 * W2's maximum sustainable rate: the highest offered rate at which the pipeline keeps up while
 * ingest, enrich, aggregate and query all run at once, so that its backlog (events accepted but
 * not yet counted in the query API) stays bounded.
 *
 * <p>A drain (a burst of POSTs, then the time until every event is counted) overstates this: for
 * most of a drain ingest is idle and the Streams stages have the cores to themselves. On two
 * cores, a stack that drained 11,860 events/s kept up with 8,302 offered steadily and fell behind
 * at 9,488. The search therefore offers steps of fixed rates, open loop, one after the
 * other, and keeps the highest one that passed.
 */
final class SustainedRate {

  /**
   * The first step, in tenths of the drain rate. Every run so far sustained 0.7 to 0.9 of its
   * drain; starting at half of it instead of at 0.3 saves two steps per stack (about 45 s of the
   * run each), and a pipeline that falls behind even there is searched downwards.
   */
  static final int FIRST_TENTHS = 5;

  /** Below this fraction of the offered rate, ingest did not accept the load. */
  static final double MIN_ACCEPTED = 0.95;

  /**
   * The backlog may grow by at most this fraction of the offered rate per second: a pipeline that
   * keeps up with 95 % of it falls behind for good, but the backlog of one that keeps up also
   * swings by a commit interval's worth of events as the stages commit.
   */
  static final double MAX_GROWTH = 0.05;

  /** At the end of a step the backlog holds at most this many seconds of the offered rate. */
  static final double MAX_BACKLOG_SECONDS = 2.0;

  /** One step: what was offered and accepted, and how the backlog moved while it ran. */
  record Step(
      double offered,
      double accepted,
      long failed,
      double growthPerSecond,
      long finalBacklog,
      int samples) {

    boolean sustained() {
      return samples >= 3
          && failed == 0
          && accepted >= MIN_ACCEPTED * offered
          && growthPerSecond <= MAX_GROWTH * offered
          && finalBacklog <= MAX_BACKLOG_SECONDS * offered;
    }

    String describe() {
      return String.format(
          java.util.Locale.ROOT,
          "%s offered, %s accepted, backlog %+.0f/s, %,d at the end: %s",
          Report.fmt(offered),
          Report.fmt(accepted),
          growthPerSecond,
          finalBacklog,
          sustained() ? "kept up" : "fell behind");
    }
  }

  /** The highest sustained rate (NaN when none was) and every step that ran. */
  record Result(double rate, List<Step> steps) {}

  private SustainedRate() {}

  /**
   * Tries half the drain rate with {@code step} (which runs the load at the given rate and reports
   * the step); while steps keep up, a tenth of the drain rate more each time, up to the drain rate;
   * if the first falls behind, a tenth less each time, down to a tenth. Then once more halfway
   * between the highest step that kept up and the lowest that fell behind.
   */
  static Result search(double drainRate, DoubleFunction<Step> step) {
    List<Step> steps = new ArrayList<>();
    double best = Double.NaN;
    double failed = Double.NaN;
    // Up while steps keep up, or down while they fall behind: one loop, stopped by the first step
    // whose outcome differs from the first one's.
    boolean firstKeptUp = false;
    int direction = 0;
    for (int tenths = FIRST_TENTHS; tenths >= 1 && tenths <= 10; tenths += direction) {
      Step done = step.apply(drainRate * tenths / 10);
      steps.add(done);
      if (done.sustained()) {
        best = done.offered();
      } else {
        failed = done.offered();
      }
      if (direction == 0) {
        firstKeptUp = done.sustained();
        direction = firstKeptUp ? 1 : -1;
      } else if (done.sustained() != firstKeptUp) {
        break;
      }
    }
    // One more step halfway between the highest that kept up and the lowest that fell behind
    // halves the search's resolution (a tenth of the drain) for one more phase.
    if (!Double.isNaN(best) && !Double.isNaN(failed)) {
      Step between = step.apply((best + failed) / 2);
      steps.add(between);
      if (between.sustained()) {
        best = between.offered();
      }
    }
    return new Result(best, List.copyOf(steps));
  }

  /**
   * Offers {@code rate} events/s (100 per POST, open loop) for {@code length} and samples the
   * backlog once a second from {@code settle} on, while the load runs.
   */
  static Step step(
      String name,
      StackClient client,
      Ysb ysb,
      YsbCounts counts,
      double rate,
      Duration length,
      Duration settle,
      int maxInFlight) {
    OpenLoop.Result[] load = new OpenLoop.Result[1];
    Thread loader =
        new Thread(
            () ->
                load[0] =
                    YsbLoad.run(name, client, ysb, counts, rate, 100, length, maxInFlight, l -> {}),
            name + "-load");
    VisibleEvents visible = VisibleEvents.of(client);
    List<Double> seconds = new ArrayList<>();
    List<Double> backlog = new ArrayList<>();
    long start = System.nanoTime();
    long next = start + settle.toNanos();
    loader.start();
    try {
      while (true) {
        long waitMillis = Math.max(0, (next - System.nanoTime()) / 1_000_000);
        loader.join(Math.max(1, waitMillis));
        if (!loader.isAlive()) {
          break;
        }
        Map<Long, Long> accepted = VisibleEvents.acceptedPerWindow(counts);
        seconds.add((System.nanoTime() - start) / 1e9);
        backlog.add((double) (VisibleEvents.total(accepted) - visible.count(accepted)));
        next += 1_000_000_000L;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted during " + name, e);
    }
    OpenLoop.Result done = load[0];
    double[] x = seconds.stream().mapToDouble(Double::doubleValue).toArray();
    double[] y = backlog.stream().mapToDouble(Double::doubleValue).toArray();
    return new Step(
        rate,
        done == null ? 0 : done.itemsPerSecondAverage(),
        done == null ? 0 : done.failed(),
        slope(x, y),
        y.length == 0 ? 0 : (long) y[y.length - 1],
        y.length);
  }

  /** The least-squares slope of {@code values} over {@code seconds}; NaN with fewer than two. */
  static double slope(double[] seconds, double[] values) {
    int n = seconds.length;
    if (n < 2) {
      return Double.NaN;
    }
    double meanX = 0;
    double meanY = 0;
    for (int i = 0; i < n; i++) {
      meanX += seconds[i];
      meanY += values[i];
    }
    meanX /= n;
    meanY /= n;
    double sxy = 0;
    double sxx = 0;
    for (int i = 0; i < n; i++) {
      sxy += (seconds[i] - meanX) * (values[i] - meanY);
      sxx += (seconds[i] - meanX) * (seconds[i] - meanX);
    }
    return sxx == 0 ? Double.NaN : sxy / sxx;
  }
}
