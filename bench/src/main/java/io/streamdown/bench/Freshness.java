package io.streamdown.bench;

import io.streamdown.schemas.Json;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;

/**
 * W3: how long from ingest's 202 until an event is visible in a query. A marker event is posted
 * every {@code intervalMillis}; each has a type of its own ({@code marker-<n>}, source {@value
 * #MARKER_AD}, whose reference puts it in campaign {@value #MARKER_CAMPAIGN}), so it is the only
 * event of its group and YSB counts are untouched. After its 202, its group's windows are polled
 * until one appears. Resolution: one polling round over the markers still pending.
 */
public final class Freshness {

  public static final String MARKER_AD = "bench-marker";
  public static final String MARKER_CAMPAIGN = "bench-markers";

  private static final long GIVE_UP_NANOS = 30_000_000_000L;

  private record Pending(String type, long acceptedNanos) {}

  /** The distribution (milliseconds) and how many markers never became visible in 30 s. */
  public record Result(Histogram millis, long sent, long missed) {}

  private Freshness() {}

  public static Result measure(
      StackClient client,
      Duration duration,
      long intervalMillis,
      long pollMillis,
      Consumer<String> progress) {
    client.putReferences(Map.of(MARKER_AD, "{\"campaign_id\":\"" + MARKER_CAMPAIGN + "\"}"));
    Histogram histogram = new Histogram(600_000L, 3);
    ConcurrentLinkedQueue<Pending> pending = new ConcurrentLinkedQueue<>();
    AtomicLong sent = new AtomicLong();
    long start = System.nanoTime();
    long end = start + duration.toNanos();
    long nextSend = start;
    long nextReport = start + 5_000_000_000L;
    long missed = 0;
    long seq = 0;
    while (System.nanoTime() < end
        || (!pending.isEmpty() && System.nanoTime() < end + GIVE_UP_NANOS)) {
      long now = System.nanoTime();
      if (now < end && now >= nextSend) {
        String type = "marker-" + (seq++);
        String json =
            "{\"source\":\""
                + MARKER_AD
                + "\",\"type\":\""
                + type
                + "\",\"time\":"
                + System.currentTimeMillis()
                + "}";
        client
            .postEvents(List.of(json))
            .thenAccept(
                status -> {
                  if (status == 202) {
                    pending.add(new Pending(type, System.nanoTime()));
                    sent.incrementAndGet();
                  }
                });
        nextSend += intervalMillis * 1_000_000L;
      }
      for (Iterator<Pending> it = pending.iterator(); it.hasNext(); ) {
        Pending marker = it.next();
        if (visible(client, marker.type())) {
          histogram.recordValue(
              Math.max(0, (System.nanoTime() - marker.acceptedNanos()) / 1_000_000L));
          it.remove();
        } else if (System.nanoTime() - marker.acceptedNanos() > GIVE_UP_NANOS) {
          missed++;
          it.remove();
        }
      }
      if (System.nanoTime() >= nextReport && histogram.getTotalCount() > 0) {
        progress.accept(
            "  w3: "
                + histogram.getTotalCount()
                + " markers visible, p50 "
                + histogram.getValueAtPercentile(50)
                + " ms, p99 "
                + histogram.getValueAtPercentile(99)
                + " ms");
        nextReport += 5_000_000_000L;
      }
      sleep(pollMillis);
    }
    return new Result(histogram, sent.get(), missed + pending.size());
  }

  private static boolean visible(StackClient client, String type) {
    long from = System.currentTimeMillis() - 3_600_000L;
    HttpResponse<String> response =
        client.get(
            "/api/v1/views/"
                + Ysb.VIEW
                + "/windows?type="
                + type
                + "&reference.campaign_id="
                + MARKER_CAMPAIGN
                + "&from="
                + from);
    return response.statusCode() == 200
        && !Json.MAPPER.readTree(response.body()).get("windows").isEmpty();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
