package io.streamdown.bench;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongFunction;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Open-loop load: request {@code i} is due at {@code start + i * interval}, whatever happened to
 * the earlier ones, and its latency counts from that due time, so a server that falls behind shows
 * its queueing in the percentiles instead of slowing the schedule down (no coordinated omission).
 *
 * <p>At most {@code maxInFlight} requests are outstanding; when that many are, the schedule waits,
 * and the waiting shows up in the latencies of the late requests. Completions are counted per
 * second for the throughput-over-time chart.
 */
public final class OpenLoop {

  /** What one scheduled request does; completes with the number of items it carried, or 0. */
  public interface Request {
    CompletableFuture<Integer> send(long index);
  }

  /** The outcome of a run. */
  public record Result(
      String name,
      long scheduled,
      long succeeded,
      long failed,
      long items,
      double seconds,
      Histogram latencyMicros,
      long[] itemsPerSecond) {

    public double itemsPerSecondAverage() {
      return seconds <= 0 ? 0 : items / seconds;
    }

    public double requestsPerSecond() {
      return seconds <= 0 ? 0 : succeeded / seconds;
    }

    public double percentileMillis(double percentile) {
      return latencyMicros.getTotalCount() == 0
          ? Double.NaN
          : latencyMicros.getValueAtPercentile(percentile) / 1000.0;
    }
  }

  private OpenLoop() {}

  /**
   * Runs {@code requestsPerSecond} requests a second for {@code duration}, then waits up to {@code
   * drain} for the outstanding ones.
   */
  public static Result run(
      String name,
      double requestsPerSecond,
      Duration duration,
      int maxInFlight,
      Request request,
      LongFunction<String> progressLine,
      java.util.function.Consumer<String> progress) {
    long intervalNanos = Math.max(1, Math.round(1e9 / requestsPerSecond));
    long total = Math.max(1, (long) (requestsPerSecond * duration.toNanos() / 1e9));
    int seconds = (int) Math.max(1, duration.toSeconds() + 120);
    AtomicLongArray perSecond = new AtomicLongArray(seconds);
    ConcurrentHistogram histogram = new ConcurrentHistogram(3_600_000_000L, 3);
    AtomicLong ok = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    AtomicLong items = new AtomicLong();
    Semaphore inFlight = new Semaphore(maxInFlight);
    long start = System.nanoTime();
    long nextReport = start + 5_000_000_000L;
    // The phase lasts its duration: requests still unsent when it ends (the schedule fell behind
    // because maxInFlight requests were outstanding) are dropped and reported as unsent.
    long scheduleCap = start + duration.toNanos() + 1_000_000_000L;
    long scheduled = 0;
    for (long i = 0; i < total; i++) {
      long due = start + i * intervalNanos;
      if (System.nanoTime() > scheduleCap) {
        progress.accept(
            "  "
                + name
                + ": behind schedule; "
                + (total - i)
                + " of "
                + total
                + " requests never sent");
        break;
      }
      scheduled++;
      long now;
      while ((now = System.nanoTime()) < due) {
        LockSupport.parkNanos(Math.min(due - now, 1_000_000L));
      }
      if (now >= nextReport) {
        progress.accept(
            String.format(
                java.util.Locale.ROOT,
                "  %s: %d s, %d ok, %d failed, %s",
                name,
                (now - start) / 1_000_000_000L,
                ok.get(),
                failed.get(),
                progressLine.apply(items.get())));
        nextReport += 5_000_000_000L;
      }
      inFlight.acquireUninterruptibly();
      CompletableFuture<Integer> future;
      try {
        future = request.send(i);
      } catch (RuntimeException e) {
        inFlight.release();
        failed.incrementAndGet();
        continue;
      }
      future.whenComplete(
          (count, error) -> {
            long done = System.nanoTime();
            // The permit goes back last: the wait for outstanding requests below ends when every
            // permit is back, and the counts read after it must include this answer.
            try {
              if (error == null && count != null && count > 0) {
                histogram.recordValue(Math.max(0, (done - due) / 1000));
                ok.incrementAndGet();
                items.addAndGet(count);
                int second = (int) ((done - start) / 1_000_000_000L);
                if (second < perSecond.length()) {
                  perSecond.addAndGet(second, count);
                }
              } else {
                failed.incrementAndGet();
              }
            } finally {
              inFlight.release();
            }
          });
    }
    // Wait for what is still outstanding: the run ends with its last answer.
    long drainDeadline = System.nanoTime() + 60_000_000_000L;
    while (inFlight.availablePermits() < maxInFlight && System.nanoTime() < drainDeadline) {
      LockSupport.parkNanos(1_000_000L);
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    int usedSeconds = (int) Math.min(perSecond.length(), Math.ceil(elapsed));
    long[] series = new long[usedSeconds];
    for (int s = 0; s < usedSeconds; s++) {
      series[s] = perSecond.get(s);
    }
    return new Result(
        name, scheduled, ok.get(), failed.get(), items.get(), elapsed, histogram.copy(), series);
  }
}
