package io.streamdown.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * YSB events posted to ingest on an open-loop schedule, {@code batchSize} per POST; each accepted
 * request's events join the offline count. Event time is the request's send time, as YSB stamps
 * events when it writes them.
 */
public final class YsbLoad {

  private YsbLoad() {}

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
          return client
              .postEvents(json)
              .thenApply(
                  status -> {
                    if (status != 202) {
                      return 0;
                    }
                    events.forEach(counts::add);
                    return events.size();
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
