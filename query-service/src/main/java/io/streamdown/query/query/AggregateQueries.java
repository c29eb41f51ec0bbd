package io.streamdown.query.query;

import io.streamdown.query.config.QuerySettings;
import io.streamdown.schemas.GroupKey;
import io.streamdown.schemas.ViewDefinition;
import io.streamdown.schemas.WindowAggregate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import java.util.PriorityQueue;
import java.util.function.Supplier;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.springframework.stereotype.Component;

/**
 * The interactive queries of the service: a group's windows, their roll-up, and the top groups
 * of a window. Every answer comes from the local stores ({@link StoreLocator}); when they cannot
 * be read now the result is {@link QueryResult.Unavailable}, never an exception and never a wait.
 *
 * <p>Times are epoch millis; ranges are inclusive and select windows by their start.
 */
@Component
public class AggregateQueries {

  private final StoreLocator stores;
  private final QuerySettings settings;

  public AggregateQueries(StoreLocator stores, QuerySettings settings) {
    this.stores = stores;
    this.settings = settings;
  }

  /**
   * The group's windows starting in [from, to], oldest first; at most
   * {@link QuerySettings#maxWindows()} of them, the newest kept.
   */
  public QueryResult<WindowSeries> windows(
      ViewDefinition view, GroupKey group, long from, long to) {
    return query(() -> readWindows(stores.windowStore(view.name()), group, from, to));
  }

  /**
   * The group's windows starting in [from, to] merged into one aggregate (sketches merged, so
   * quantiles stay within the sketch accuracy). Of a hopping view only windows that do not
   * overlap an already merged one are taken, oldest first, so no event counts twice.
   */
  public QueryResult<Rollup> rollup(ViewDefinition view, GroupKey group, long from, long to) {
    return query(() -> readRollup(stores.windowStore(view.name()), view, group, from, to));
  }

  /**
   * The {@code limit} groups of one window ranked by {@code by}, highest first, ties by encoded
   * group key. The window is the one starting at {@code at} aligned down to the view's advance,
   * or without {@code at} the latest window of the view.
   */
  public QueryResult<TopWindow> top(
      ViewDefinition view, TopMetric by, int limit, OptionalLong at) {
    return query(
        () -> {
          OptionalLong start =
              at.isPresent()
                  ? OptionalLong.of(alignDown(at.getAsLong(), view))
                  : latestWindowStart(stores.latestWindowStore(), view.name());
          if (start.isEmpty()) {
            return TopWindow.none();
          }
          return readTop(stores.windowStore(view.name()), view, start.getAsLong(), by, limit);
        });
  }

  /** The start of the latest window (by start) of the view that contains {@code time}. */
  public static long alignDown(long time, ViewDefinition view) {
    long advance = view.window().advance().toMillis();
    return time - Math.floorMod(time, advance);
  }

  private <T> QueryResult<T> query(Supplier<T> read) {
    try {
      return QueryResult.found(read.get());
    } catch (InvalidStateStoreException e) {
      return QueryResult.unavailable(
          e.getMessage() == null ? "state stores are not queryable" : e.getMessage(),
          settings.retryAfter());
    }
  }

  private WindowSeries readWindows(
      ReadOnlyWindowStore<String, WindowAggregate> store, GroupKey group, long from, long to) {
    if (to < 0 || from > to) {
      return new WindowSeries(List.of(), false);
    }
    int max = settings.maxWindows();
    List<WindowAggregate> newestFirst = new ArrayList<>();
    boolean truncated = false;
    // Backwards, so a range with too many windows keeps its newest ones.
    try (WindowStoreIterator<WindowAggregate> windows =
        store.backwardFetch(group.encode(), instant(Math.max(0, from)), instant(to))) {
      while (windows.hasNext()) {
        KeyValue<Long, WindowAggregate> window = windows.next();
        if (newestFirst.size() == max) {
          truncated = true;
          break;
        }
        newestFirst.add(window.value);
      }
    }
    Collections.reverse(newestFirst);
    return new WindowSeries(newestFirst, truncated);
  }

  private Rollup readRollup(
      ReadOnlyWindowStore<String, WindowAggregate> store,
      ViewDefinition view,
      GroupKey group,
      long from,
      long to) {
    if (to < 0 || from > to) {
      return new Rollup(0, null);
    }
    long size = view.window().size().toMillis();
    WindowAggregate total = null;
    int merged = 0;
    long nextFreeStart = Long.MIN_VALUE;
    try (WindowStoreIterator<WindowAggregate> windows =
        store.fetch(group.encode(), instant(Math.max(0, from)), instant(to))) {
      while (windows.hasNext()) {
        KeyValue<Long, WindowAggregate> window = windows.next();
        if (window.key < nextFreeStart) {
          continue;
        }
        total = total == null ? window.value : total.merge(window.value);
        merged++;
        nextFreeStart = window.key + size;
      }
    }
    return new Rollup(merged, total);
  }

  private static OptionalLong latestWindowStart(
      ReadOnlyKeyValueStore<String, Long> latest, String view) {
    // One entry per local task: the latest of the view is the max over all of them.
    OptionalLong max = OptionalLong.empty();
    try (KeyValueIterator<String, Long> entries = latest.range(view, view)) {
      while (entries.hasNext()) {
        Long start = entries.next().value;
        if (start != null && (max.isEmpty() || start > max.getAsLong())) {
          max = OptionalLong.of(start);
        }
      }
    }
    return max;
  }

  private static TopWindow readTop(
      ReadOnlyWindowStore<String, WindowAggregate> store,
      ViewDefinition view,
      long start,
      TopMetric by,
      int limit) {
    Comparator<Candidate> best =
        Comparator.comparing(
                Candidate::metric, Comparator.nullsLast(Comparator.<Double>reverseOrder()))
            .thenComparing(Candidate::encodedKey);
    // Bounded heap whose head is the worst of the best `limit` seen so far.
    PriorityQueue<Candidate> heap = new PriorityQueue<>(best.reversed());
    if (start >= 0) {
      try (KeyValueIterator<Windowed<String>, WindowAggregate> windows =
          store.fetchAll(instant(start), instant(start))) {
        while (windows.hasNext()) {
          KeyValue<Windowed<String>, WindowAggregate> window = windows.next();
          if (window.value == null) {
            continue;
          }
          Candidate candidate =
              new Candidate(window.key.key(), window.value, by.of(window.value));
          heap.add(candidate);
          if (heap.size() > limit) {
            heap.poll();
          }
        }
      }
    }
    List<Candidate> ranked = new ArrayList<>(heap);
    ranked.sort(best);
    List<TopWindow.Entry> entries =
        ranked.stream()
            .map(c -> new TopWindow.Entry(GroupKey.decode(c.encodedKey()), c.aggregate()))
            .toList();
    return new TopWindow(start, start + view.window().size().toMillis(), entries);
  }

  private static Instant instant(long epochMillis) {
    return Instant.ofEpochMilli(epochMillis);
  }

  private record Candidate(String encodedKey, WindowAggregate aggregate, Double metric) {}
}
