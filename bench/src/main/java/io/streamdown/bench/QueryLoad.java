package io.streamdown.bench;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * W4: {@code threads} closed-loop clients ask one query instance for the last minute of windows of
 * a random (event type, campaign) key of the YSB view. Each answer is sorted by the instance that
 * served it ({@code Streamdown-Served-By}): the one asked (a local key) or another one, to which
 * the asked instance routed the query.
 */
public final class QueryLoad {

  /** The header naming the instance whose store answered. */
  static final String SERVED_BY = "Streamdown-Served-By";

  /**
   * Queries per second over the run, and the latencies (microseconds) of all answers, of local
   * ones and of routed ones.
   */
  public record Result(
      double qps,
      long ok,
      long failed,
      Histogram latencyMicros,
      Histogram localMicros,
      Histogram routedMicros) {}

  private QueryLoad() {}

  /**
   * @param self the {@code Streamdown-Served-By} of the instance asked; null to count every answer
   *     as local
   */
  public static Result run(
      StackClient client, List<String> campaigns, int threads, Duration duration, String self) {
    ConcurrentHistogram histogram = new ConcurrentHistogram(60_000_000L, 3);
    ConcurrentHistogram local = new ConcurrentHistogram(60_000_000L, 3);
    ConcurrentHistogram routed = new ConcurrentHistogram(60_000_000L, 3);
    AtomicLong ok = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    long start = System.nanoTime();
    long end = start + duration.toNanos();
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      SplittableRandom random = new SplittableRandom(t);
      Thread worker =
          new Thread(
              () -> {
                while (System.nanoTime() < end) {
                  String type = Ysb.EVENT_TYPES.get(random.nextInt(Ysb.EVENT_TYPES.size()));
                  String campaign = campaigns.get(random.nextInt(campaigns.size()));
                  long from = System.currentTimeMillis() - 60_000L;
                  long begin = System.nanoTime();
                  try {
                    HttpResponse<String> response =
                        client.get(
                            "/api/v1/views/"
                                + Ysb.VIEW
                                + "/windows?type="
                                + type
                                + "&reference.campaign_id="
                                + campaign
                                + "&from="
                                + from);
                    if (response.statusCode() == 200) {
                      long micros = (System.nanoTime() - begin) / 1000;
                      histogram.recordValue(micros);
                      String servedBy = response.headers().firstValue(SERVED_BY).orElse(null);
                      (self == null || self.equals(servedBy) ? local : routed).recordValue(micros);
                      ok.incrementAndGet();
                    } else {
                      failed.incrementAndGet();
                    }
                  } catch (RuntimeException e) {
                    failed.incrementAndGet();
                  }
                }
              },
              "w4-query-" + t);
      worker.start();
      workers.add(worker);
    }
    for (Thread worker : workers) {
      try {
        worker.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    return new Result(
        ok.get() / seconds,
        ok.get(),
        failed.get(),
        histogram.copy(),
        local.copy(),
        routed.copy());
  }
}
