package io.streamdown.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * YSB events posted to ingest on an open-loop schedule, {@code batchSize} per POST; each accepted
 * request's events join the offline count. A failed request is sent again for a while; if it never
 * succeeds, its events are counted as uncertain. Event time is the request's send time, as YSB
 * stamps events when it writes them.
 */
public final class YsbLoad {

  /**
   * How long after its first attempt a failed request is still sent again: well inside the view's
   * 30 s grace, so a retried event still lands in its window.
   */
  static final Duration RETRY_WINDOW = Duration.ofSeconds(10);

  /** The pause before a retry. */
  static final Duration RETRY_DELAY = Duration.ofMillis(250);

  /** What became of one request, retries included. */
  enum Outcome {
    /** 202: its events are in. */
    ACCEPTED,
    /** A 4xx other than 408 and 429: nothing was written. */
    REFUSED,
    /** Failed at the last attempt in a way that may still have written it (timeout, 5xx). */
    UNKNOWN
  }

  private YsbLoad() {}

  /**
   * Posts the events, and again after a failure that may be transient (408, 429, 5xx, no answer),
   * as a client of ingest should: the events carry their own ids, so a retry of a write that did
   * complete is dropped by enrich's de-duplication, and the counts stay exact.
   */
  static CompletableFuture<Outcome> post(
      StackClient client, List<String> json, YsbCounts counts, long firstAttemptNanos) {
    return post(client, json, counts, firstAttemptNanos, RETRY_WINDOW);
  }

  static CompletableFuture<Outcome> post(
      StackClient client,
      List<String> json,
      YsbCounts counts,
      long firstAttemptNanos,
      Duration retryWindow) {
    return client
        .postEvents(json)
        .handle((status, error) -> error == null ? outcomeOf(status) : Outcome.UNKNOWN)
        .thenCompose(
            outcome -> {
              if (outcome != Outcome.UNKNOWN
                  || System.nanoTime() - firstAttemptNanos + RETRY_DELAY.toNanos()
                      > retryWindow.toNanos()) {
                return CompletableFuture.completedFuture(outcome);
              }
              counts.noteRetry();
              return CompletableFuture.supplyAsync(
                      () -> null,
                      CompletableFuture.delayedExecutor(
                          RETRY_DELAY.toMillis(), TimeUnit.MILLISECONDS))
                  .thenCompose(
                      ignored -> post(client, json, counts, firstAttemptNanos, retryWindow));
            });
  }

  static Outcome outcomeOf(int status) {
    if (status == 202) {
      return Outcome.ACCEPTED;
    }
    boolean transientStatus = status == 408 || status == 429 || status >= 500;
    return transientStatus ? Outcome.UNKNOWN : Outcome.REFUSED;
  }

  public static OpenLoop.Result run(
      String name,
      StackClient client,
      Ysb ysb,
      YsbCounts counts,
      double eventsPerSecond,
      int batchSize,
      Duration duration,
      int maxInFlight,
      Consumer<String> progress) {
    double requestsPerSecond = eventsPerSecond / batchSize;
    long started = System.nanoTime();
    return OpenLoop.run(
        name,
        requestsPerSecond,
        duration,
        maxInFlight,
        index -> {
          long now = System.currentTimeMillis();
          List<Ysb.YsbEvent> events = new ArrayList<>(batchSize);
          List<String> json = new ArrayList<>(batchSize);
          for (int i = 0; i < batchSize; i++) {
            Ysb.YsbEvent event;
            synchronized (ysb) {
              event = ysb.next(now);
            }
            events.add(event);
            json.add(event.json());
          }
          return post(client, json, counts, System.nanoTime())
              .thenApply(
                  outcome ->
                      switch (outcome) {
                        case ACCEPTED -> {
                          events.forEach(counts::add);
                          yield events.size();
                        }
                        case UNKNOWN -> {
                          events.forEach(counts::addUncertain);
                          yield 0;
                        }
                        case REFUSED -> 0;
                      });
        },
        items ->
            String.format(
                Locale.ROOT,
                "%,d events accepted (%,.0f/s)",
                items,
                items / Math.max(1e-9, (System.nanoTime() - started) / 1e9)),
        progress);
  }
}
