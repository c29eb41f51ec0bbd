package io.streamdown.bench;

import io.streamdown.schemas.Json;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.HdrHistogram.Histogram;

/**
 * W3: how long from ingest's 202 until an event is visible in a query. A marker event is posted
 * every {@value #MARKER_INTERVAL_MILLIS} ms; each has a type of its own ({@code marker-<n>},
 * source {@value #MARKER_AD}, whose reference puts it in campaign {@value #MARKER_CAMPAIGN}), so
 * it is the only event of its group and YSB counts are untouched. After its 202, its group's
 * windows are polled until one appears. Resolution: one polling round over the markers still
 * pending (every {@value #POLL_MILLIS} ms).
 */
public final class Freshness {

  public static final String MARKER_AD = "bench-marker";
  public static final String MARKER_CAMPAIGN = "bench-markers";

  /** W3's cadence: a marker every 200 ms, pending markers polled every 5 ms. */
  private static final long MARKER_INTERVAL_MILLIS = 200;

  private static final long POLL_MILLIS = 5;

  /** How long a marker may take to show before it counts as missed. */
  static final Duration GIVE_UP = Duration.ofSeconds(30);

  private static final long GIVE_UP_NANOS = GIVE_UP.toNanos();

  private record Pending(String type, long acceptedNanos) {}

  private record Visible(String type, long acceptedNanos, long visibleNanos) {}

  /** How often to ask about a marker that the trail has not yet read on its last hop. */
  private static final long UNSEEN_ASK_NANOS = 100_000_000L;

  /** How long the trail may take, after the last marker showed, to have read every hop. */
  private static final long TRAIL_CATCH_UP_NANOS = 5_000_000_000L;

  /**
   * The distribution (milliseconds), how many markers never became visible in 30 s, and, with a
   * {@link MarkerTrail}, the distribution of each step between the 202 and the query (in order;
   * a marker readable on the first hop before its 202 reached the client counts 0 for that step).
   */
  public record Result(
      Histogram millis,
      long sent,
      long missed,
      Map<String, Histogram> steps,
      List<Timeline> timelines) {}

  /**
   * One marker that showed: when its 202 arrived (wall clock, so that a slow marker can be laid
   * beside the services' logs), the milliseconds from then to its first sighting on each hop of
   * the trail (-1: not seen there, or no trail) and to its first answer in a query.
   */
  public record Timeline(
      String marker, long acceptedEpochMillis, long[] hopMillis, long visibleMillis) {

    /** The CSV header for {@link #csvLine()}, with one column per hop. */
    static String csvHeader(List<MarkerTrail.Hop> hops) {
      StringBuilder header = new StringBuilder("marker,accepted_epoch_ms");
      hops.forEach(hop -> header.append(',').append(hop.name()).append("_ms"));
      return header.append(",query_ms").toString();
    }

    String csvLine() {
      StringBuilder line = new StringBuilder(marker).append(',').append(acceptedEpochMillis);
      for (long millis : hopMillis) {
        line.append(',');
        if (millis >= 0) {
          line.append(millis);
        }
      }
      return line.append(',').append(visibleMillis).toString();
    }
  }

  /** The timelines as CSV, one marker per line, in the order they were sent. */
  public static String timelinesCsv(List<MarkerTrail.Hop> hops, List<Timeline> timelines) {
    StringBuilder csv = new StringBuilder(Timeline.csvHeader(hops)).append('\n');
    timelines.stream()
        .sorted(java.util.Comparator.comparingLong(Timeline::acceptedEpochMillis))
        .forEach(t -> csv.append(t.csvLine()).append('\n'));
    return csv.toString();
  }

  private Freshness() {}

  /**
   * Posts markers for {@code duration} and waits for each to show.
   *
   * @param firstMarker the number of the first marker ({@code marker-<n>}): runs on one stack
   *     number theirs apart, since a marker must be the only event of its group
   * @param trail where the markers are seen on Kafka, for the steps; null for none
   */
  public static Result measure(
      StackClient client,
      Duration duration,
      long firstMarker,
      MarkerTrail trail,
      Consumer<String> progress) {
    client.putReferences(Map.of(MARKER_AD, "{\"campaign_id\":\"" + MARKER_CAMPAIGN + "\"}"));
    Histogram histogram = new Histogram(600_000L, 3);
    List<Visible> shown = new ArrayList<>();
    Map<String, Long> lastAsked = new HashMap<>();
    Predicate<String> onLastHop = trail == null ? marker -> true : trail::seenOnLastHop;
    ConcurrentLinkedQueue<Pending> pending = new ConcurrentLinkedQueue<>();
    AtomicLong sent = new AtomicLong();
    long start = System.nanoTime();
    long startEpochMillis = System.currentTimeMillis();
    long end = start + duration.toNanos();
    long nextSend = start;
    long nextReport = start + 5_000_000_000L;
    long missed = 0;
    long seq = firstMarker;
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
        nextSend += MARKER_INTERVAL_MILLIS * 1_000_000L;
      }
      long round = System.nanoTime();
      for (Iterator<Pending> it = pending.iterator(); it.hasNext(); ) {
        Pending marker = it.next();
        if (shouldAsk(onLastHop, marker.type(), lastAsked, round)
            && visible(client, marker.type())) {
          long visibleAt = System.nanoTime();
          histogram.recordValue(Math.max(0, (visibleAt - marker.acceptedNanos()) / 1_000_000L));
          shown.add(new Visible(marker.type(), marker.acceptedNanos(), visibleAt));
          lastAsked.remove(marker.type());
          it.remove();
        } else if (System.nanoTime() - marker.acceptedNanos() > GIVE_UP_NANOS) {
          missed++;
          lastAsked.remove(marker.type());
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
      sleep(POLL_MILLIS);
    }
    Map<String, Histogram> steps = trail == null ? Map.of() : steps(trail, shown);
    List<Timeline> timelines = new ArrayList<>();
    for (Visible marker : shown) {
      timelines.add(timeline(marker, trail, start, startEpochMillis));
    }
    return new Result(histogram, sent.get(), missed + pending.size(), steps, timelines);
  }

  private static Timeline timeline(
      Visible marker, MarkerTrail trail, long startNanos, long startEpochMillis) {
    long accepted = marker.acceptedNanos();
    long[] seen = trail == null ? new long[0] : trail.seen(marker.type());
    long[] hopMillis = new long[seen.length];
    for (int i = 0; i < seen.length; i++) {
      hopMillis[i] = seen[i] == 0 ? -1 : Math.max(0, (seen[i] - accepted) / 1_000_000L);
    }
    return new Timeline(
        marker.type(),
        startEpochMillis + (accepted - startNanos) / 1_000_000L,
        hopMillis,
        Math.max(0, (marker.visibleNanos() - accepted) / 1_000_000L));
  }

  /**
   * The steps of every marker that showed, once the trail has read each of them on every hop
   * (it polls on its own, so it may trail the query by a poll), or after {@link
   * #TRAIL_CATCH_UP_NANOS}; a marker it has still not seen everywhere is left out.
   */
  private static Map<String, Histogram> steps(MarkerTrail trail, List<Visible> shown) {
    long until = System.nanoTime() + TRAIL_CATCH_UP_NANOS;
    List<MarkerTrail.Hop> hops = trail.hops();
    while (System.nanoTime() < until
        && !shown.stream().allMatch(m -> seenEverywhere(hops, trail.seen(m.type())))) {
      sleep(50);
    }
    Map<String, Histogram> steps = new LinkedHashMap<>();
    for (Visible marker : shown) {
      recordSteps(
          steps, hops, marker.acceptedNanos(), trail.seen(marker.type()), marker.visibleNanos());
    }
    return steps;
  }

  /** Whether every hop a marker must pass has seen it (an optional hop may not). */
  private static boolean seenEverywhere(List<MarkerTrail.Hop> hops, long[] seenNanos) {
    for (int i = 0; i < hops.size(); i++) {
      if (seenNanos[i] == 0 && !hops.get(i).optional()) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether to ask the query API about a marker in this polling round: in every round once the
   * trail has read it on its last hop ({@code aggregates}, which the query service reads no slower
   * than the trail; always without a trail), and before that every {@link #UNSEEN_ASK_NANOS}, in
   * case the trail lags. Asking about markers that cannot show yet only loads the query service
   * and the cores the pipeline runs on, and the more so the later the markers are.
   */
  static boolean shouldAsk(
      Predicate<String> onLastHop, String marker, Map<String, Long> lastAsked, long now) {
    if (!onLastHop.test(marker)) {
      Long last = lastAsked.get(marker);
      if (last != null && now - last < UNSEEN_ASK_NANOS) {
        return false;
      }
    }
    lastAsked.put(marker, now);
    return true;
  }

  /**
   * One marker's steps, from its 202 over its sightings per hop to its first answer in a query,
   * each step named after the two ends it spans ("202 → first hop", …, "last hop → query"); an
   * optional hop the marker did not take is no end, so its neighbours form one step. None when a
   * hop the marker must pass has not seen it.
   */
  static void recordSteps(
      Map<String, Histogram> steps,
      List<MarkerTrail.Hop> hops,
      long acceptedNanos,
      long[] seenNanos,
      long visibleNanos) {
    if (!seenEverywhere(hops, seenNanos)) {
      return;
    }
    long previous = acceptedNanos;
    String from = "202";
    for (int i = 0; i <= hops.size(); i++) {
      if (i < hops.size() && seenNanos[i] == 0) {
        continue;
      }
      long at = i < hops.size() ? seenNanos[i] : visibleNanos;
      String to = i < hops.size() ? hops.get(i).name() : "query";
      steps
          .computeIfAbsent(from + " → " + to, name -> new Histogram(600_000L, 3))
          .recordValue(Math.max(0, (at - previous) / 1_000_000L));
      previous = at;
      from = to;
    }
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
