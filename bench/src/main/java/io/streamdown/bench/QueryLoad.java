package io.streamdown.bench;

import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * W4: {@code clients} closed-loop clients ask one query instance, by default for the last minute of
 * windows of a random (event type, campaign) key of the YSB view ({@link #windows}). Each answer is
 * sorted by the instance that served it ({@code Streamdown-Served-By}): the one asked (a local key)
 * or another one, to which the asked instance routed the query.
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

  /** What each client asks next: a path with its query string. */
  @FunctionalInterface
  public interface Queries {
    String next(SplittableRandom random);
  }

  /** The view list: no store read, no routing; what the query API costs around a query. */
  static final String VIEW_LIST = "/api/v1/views";

  private QueryLoad() {}

  /** The last minute of windows of a random (event type, campaign) key of the YSB view. */
  public static Queries windows(List<String> campaigns) {
    return random -> {
      String type = Ysb.EVENT_TYPES.get(random.nextInt(Ysb.EVENT_TYPES.size()));
      String campaign = campaigns.get(random.nextInt(campaigns.size()));
      long from = System.currentTimeMillis() - 60_000L;
      return "/api/v1/views/"
          + Ysb.VIEW
          + "/windows?type="
          + type
          + "&reference.campaign_id="
          + campaign
          + "&from="
          + from;
    };
  }

  /** The view list every time ({@link #VIEW_LIST}). */
  public static Queries viewList() {
    return random -> VIEW_LIST;
  }

  /**
   * Runs {@code clients} closed loops (each sends its next query when the last one is answered)
   * for {@code duration} and waits for their last answers.
   *
   * @param self the {@code Streamdown-Served-By} of the instance asked; null to count every answer
   *     as local
   */
  public static Result run(
      StackClient client, Queries queries, int clients, Duration duration, String self) {
    ConcurrentHistogram histogram = new ConcurrentHistogram(60_000_000L, 3);
    ConcurrentHistogram local = new ConcurrentHistogram(60_000_000L, 3);
    ConcurrentHistogram routed = new ConcurrentHistogram(60_000_000L, 3);
    AtomicLong ok = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    long start = System.nanoTime();
    long end = start + duration.toNanos();
    CountDownLatch done = new CountDownLatch(clients);
    Answered record =
        (answer, error, micros) -> {
          if (error == null && answer.status() == 200) {
            histogram.recordValue(micros);
            (self == null || self.equals(answer.header()) ? local : routed).recordValue(micros);
            ok.incrementAndGet();
          } else {
            failed.incrementAndGet();
          }
        };
    for (int c = 0; c < clients; c++) {
      new Loop(client, queries, new SplittableRandom(c), end, record, done).next();
    }
    try {
      // Each loop ends with its first answer after the end; a request times out after 30 s.
      done.await(duration.toMillis() + 60_000L, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
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

  /** What becomes of one answer (or failure) and its latency. */
  private interface Answered {
    void accept(LoadClient.Answer answer, Throwable error, long micros);
  }

  /** One closed-loop client: its next query goes out from the callback of the last answer. */
  private record Loop(
      StackClient client,
      Queries queries,
      SplittableRandom random,
      long end,
      Answered answered,
      CountDownLatch done) {

    void next() {
      if (System.nanoTime() >= end) {
        done.countDown();
        return;
      }
      String path = queries.next(random);
      long begin = System.nanoTime();
      client
          .queryLoad(path)
          .whenComplete(
              (answer, error) -> {
                answered.accept(answer, error, (System.nanoTime() - begin) / 1000);
                next();
              });
    }
  }
}
