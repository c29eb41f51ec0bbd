package io.streamdown.query.query;

import io.streamdown.query.config.QuerySettings;
import io.streamdown.schemas.GroupKey;
import io.streamdown.schemas.ViewDefinition;
import io.streamdown.schemas.WindowAggregate;
import io.streamdown.schemas.WindowType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * <p>Times are epoch millis; ranges are inclusive and select windows by their start (sessions:
 * by overlap).
 */
@Component
public class AggregateQueries {

  private static final Comparator<Candidate> BEST =
      Comparator.comparing(
              Candidate::metric, Comparator.nullsLast(Comparator.<Double>reverseOrder()))
          .thenComparing(Candidate::encodedKey);

  private final StoreLocator stores;
  private final QuerySettings settings;

  public AggregateQueries(StoreLocator stores, QuerySettings settings) {
    this.stores = stores;
    this.settings = settings;
  }

  /** The same queries over other stores, e.g. one partition's (a routed or partial read). */
  public AggregateQueries using(StoreLocator other) {
    return new AggregateQueries(other, settings);
  }

  /**
   * The group's windows starting in [from, to], oldest first; at most
   * {@link QuerySettings#maxWindows()} of them, the newest kept. Of a session view, the sessions
   * overlapping [from, to]: also the one that began before {@code from} and ends at or after it.
   */
  public QueryResult<WindowSeries> windows(
      ViewDefinition view, GroupKey group, long from, long to) {
    return query(
        () -> {
          ReadOnlyWindowStore<String, WindowAggregate> store = stores.windowStore(view.name());
          WindowSeries series = readWindows(store, group, from, to);
          if (view.window().type() != WindowType.SESSION || series.truncated()) {
            return series;
          }
          // A session that began before the range but reaches into it overlaps the range too.
          WindowAggregate reaching = sessionReachingInto(store, view, group, from);
          if (reaching == null) {
            return series;
          }
          List<WindowAggregate> windows = new ArrayList<>();
          windows.add(reaching);
          windows.addAll(series.windows());
          boolean truncated = windows.size() > settings.maxWindows();
          return new WindowSeries(
              truncated ? windows.subList(1, windows.size()) : windows, truncated);
        });
  }

  /**
   * The group's windows starting in [from, to] merged into one aggregate (sketches merged, so
   * quantiles stay within the sketch accuracy). Of a hopping or sliding view only windows that
   * do not overlap an already merged one are taken, oldest first, so no event counts twice. Of a
   * session view, every session overlapping [from, to] (a group's sessions never overlap each
   * other, so none counts twice).
   */
  public QueryResult<Rollup> rollup(ViewDefinition view, GroupKey group, long from, long to) {
    return query(
        () -> {
          ReadOnlyWindowStore<String, WindowAggregate> store = stores.windowStore(view.name());
          Rollup rollup = readRollup(store, group, from, to);
          if (view.window().type() != WindowType.SESSION) {
            return rollup;
          }
          WindowAggregate reaching = sessionReachingInto(store, view, group, from);
          if (reaching == null) {
            return rollup;
          }
          return new Rollup(
              rollup.windows() + 1,
              rollup.total() == null ? reaching : reaching.merge(rollup.total()));
        });
  }

  /**
   * The {@code limit} groups of one window ranked by {@code by}, highest first, ties by encoded
   * group key. The window is the one starting at {@code at} aligned down to the view's advance,
   * or without {@code at} the latest window of the view.
   *
   * <p>Sliding windows and sessions start wherever events are, so there is no common window to
   * rank. For them the reference instant {@code T} is {@code at}, or without it the latest
   * window start of the view, and each group is represented by its latest window (by start)
   * that is live at {@code T}: a sliding window that contains {@code T}; a session that began
   * at or before {@code T} and ended at most one gap before it (still open, or able to grow).
   * The result's bounds are then {@code T - size} .. {@code T} (sliding) or {@code T - gap} ..
   * {@code T} (session).
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
          if (view.window().type() == WindowType.SESSION
              || view.window().type() == WindowType.SLIDING) {
            long reference = at.isPresent() ? at.getAsLong() : start.getAsLong();
            return readLiveTop(stores.windowStore(view.name()), view, reference, by, limit);
          }
          return readTop(stores.windowStore(view.name()), view, start.getAsLong(), by, limit);
        });
  }

  /**
   * The start of the latest window (by start) of the view that contains {@code time}; sliding
   * windows and sessions have no grid, so for them it is {@code time} itself.
   */
  public static long alignDown(long time, ViewDefinition view) {
    if (view.window().advance() == null) {
      return time;
    }
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
      ReadOnlyWindowStore<String, WindowAggregate> store, GroupKey group, long from, long to) {
    if (to < 0 || from > to) {
      return new Rollup(0, null);
    }
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
        // The aggregate's own end: windows of every kind, sliding ones included, end there.
        nextFreeStart = window.value.windowEnd();
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
    Comparator<Candidate> best = BEST;
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

  /**
   * The group's latest session that began before {@code from} and ends at or after it, or null.
   * Sessions of a group never overlap, so only the latest one starting before {@code from} can.
   */
  private static WindowAggregate sessionReachingInto(
      ReadOnlyWindowStore<String, WindowAggregate> store,
      ViewDefinition view,
      GroupKey group,
      long from) {
    if (from <= 0) {
      return null;
    }
    long earliest = Math.max(0, from - view.retention().toMillis());
    try (WindowStoreIterator<WindowAggregate> before =
        store.backwardFetch(group.encode(), instant(earliest), instant(from - 1))) {
      if (before.hasNext()) {
        WindowAggregate latest = before.next().value;
        if (latest != null && latest.windowEnd() >= from) {
          return latest;
        }
      }
    }
    return null;
  }

  private static TopWindow readLiveTop(
      ReadOnlyWindowStore<String, WindowAggregate> store,
      ViewDefinition view,
      long reference,
      TopMetric by,
      int limit) {
    boolean session = view.window().type() == WindowType.SESSION;
    // Sliding windows containing T start at most `size` before it; sessions at most the
    // retention before it (a session is as long as its events keep coming).
    long lookback = session ? view.retention().toMillis() : view.window().size().toMillis();
    long reach = session ? view.window().gap().toMillis() : view.window().size().toMillis();
    Map<String, WindowAggregate> latestPerGroup = new HashMap<>();
    if (reference >= 0) {
      try (KeyValueIterator<Windowed<String>, WindowAggregate> windows =
          store.fetchAll(instant(Math.max(0, reference - lookback)), instant(reference))) {
        while (windows.hasNext()) {
          KeyValue<Windowed<String>, WindowAggregate> window = windows.next();
          WindowAggregate aggregate = window.value;
          if (aggregate == null) {
            continue;
          }
          boolean live =
              session
                  ? aggregate.windowEnd() >= reference - reach
                  : aggregate.windowEnd() > reference;
          if (live) {
            latestPerGroup.merge(
                window.key.key(),
                aggregate,
                (a, b) -> a.windowStart() >= b.windowStart() ? a : b);
          }
        }
      }
    }
    List<Candidate> candidates = new ArrayList<>();
    latestPerGroup.forEach(
        (key, aggregate) -> candidates.add(new Candidate(key, aggregate, by.of(aggregate))));
    candidates.sort(BEST);
    List<TopWindow.Entry> entries =
        candidates.stream()
            .limit(limit)
            .map(c -> new TopWindow.Entry(GroupKey.decode(c.encodedKey()), c.aggregate()))
            .toList();
    return new TopWindow(reference - reach, reference, entries);
  }

  private static Instant instant(long epochMillis) {
    return Instant.ofEpochMilli(epochMillis);
  }

  private record Candidate(String encodedKey, WindowAggregate aggregate, Double metric) {}
}
