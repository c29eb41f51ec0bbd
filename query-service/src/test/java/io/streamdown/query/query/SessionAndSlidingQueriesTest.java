package io.streamdown.query.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamdown.query.Aggregates;
import io.streamdown.query.QueryDriver;
import io.streamdown.query.config.QuerySettings;
import io.streamdown.schemas.EmitMode;
import io.streamdown.schemas.Event;
import io.streamdown.schemas.GroupKey;
import io.streamdown.schemas.ViewDefinition;
import io.streamdown.schemas.WindowAggregate;
import io.streamdown.schemas.WindowSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Session and sliding views in the query store and the queries: tombstones of superseded
 * sessions delete them, windows and roll-ups select sessions by overlap, top ranks the sessions
 * live at an instant, sliding windows roll up without counting an event twice.
 */
class SessionAndSlidingQueriesTest {

  private static final long T0 = Instant.parse("2025-03-01T10:00:00Z").toEpochMilli();
  private static final Duration GAP = Duration.ofSeconds(30);

  private static final ViewDefinition SESSIONS =
      new ViewDefinition(
          "sessions-by-source",
          List.of("type", "source"),
          WindowSpec.session(GAP),
          Duration.ofSeconds(60),
          EmitMode.UPDATES,
          null);

  private static final ViewDefinition SLIDING =
      new ViewDefinition(
          "sliding-by-type",
          List.of("type"),
          WindowSpec.sliding(Duration.ofSeconds(10)),
          Duration.ZERO,
          EmitMode.UPDATES,
          null);

  @TempDir Path stateDir;

  private QueryDriver query;
  private AggregateQueries queries;

  @BeforeEach
  void start() {
    query = new QueryDriver(List.of(SESSIONS, SLIDING), stateDir);
    queries = new AggregateQueries(query.storeLocator(), QuerySettings.defaults());
  }

  @AfterEach
  void stop() {
    query.close();
  }

  /** A session (or sliding window) holding one event per (time, value), as aggregate-service. */
  private static WindowAggregate window(
      ViewDefinition view,
      List<String> group,
      long start,
      long end,
      long[] times,
      double[] values) {
    Map<String, String> fields = new LinkedHashMap<>();
    for (int i = 0; i < group.size(); i++) {
      fields.put(view.groupBy().get(i), group.get(i));
    }
    WindowAggregate aggregate = WindowAggregate.empty(view.name(), fields, start, end);
    for (int i = 0; i < times.length; i++) {
      Event event = Aggregates.event("e" + times[i], times[i], values[i], times[i] + 1);
      aggregate = aggregate.plus(event);
    }
    return aggregate;
  }

  private static WindowAggregate session(String source, long[] times, double[] values) {
    return window(
        SESSIONS, List.of("temp", source), times[0], times[times.length - 1], times, values);
  }

  private void tombstone(WindowAggregate superseded) {
    query.aggregates.pipeInput(Aggregates.keyText(superseded), null);
  }

  private List<WindowAggregate> stored(ViewDefinition view) {
    List<WindowAggregate> all = new ArrayList<>();
    try (KeyValueIterator<Windowed<String>, WindowAggregate> it =
        query.windowStore(view.name()).all()) {
      it.forEachRemaining(kv -> all.add(kv.value));
    }
    return all;
  }

  @Test
  void aMergeLeavesOnlyTheMergedSessionInTheStoreAndInEveryQuery() {
    WindowAggregate first = session("a", new long[] {T0, T0 + 20_000}, new double[] {1, 3});
    WindowAggregate second = session("a", new long[] {T0 + 70_000}, new double[] {8});
    query.pipe(first);
    query.pipe(second);
    assertThat(stored(SESSIONS)).hasSize(2);

    // What aggregate-service writes when an event at 45 s bridges them.
    WindowAggregate merged =
        session("a", new long[] {T0, T0 + 20_000, T0 + 45_000, T0 + 70_000},
            new double[] {1, 3, 4, 8});
    tombstone(first);
    tombstone(second);
    query.pipe(merged);

    assertThat(stored(SESSIONS)).singleElement().satisfies(
        s -> {
          assertThat(s.windowStart()).isEqualTo(T0);
          assertThat(s.windowEnd()).isEqualTo(T0 + 70_000);
        });
    GroupKey a = GroupKey.of("temp", "a");
    WindowSeries series = found(queries.windows(SESSIONS, a, T0 - 3_600_000, T0 + 3_600_000));
    assertThat(series.windows()).singleElement().satisfies(
        s -> {
          assertThat(s.count()).isEqualTo(4);
          assertThat(s.sum()).isEqualTo(16.0);
          assertThat(s.min()).isEqualTo(1.0);
          assertThat(s.max()).isEqualTo(8.0);
        });
    Rollup rollup = found(queries.rollup(SESSIONS, a, T0 - 3_600_000, T0 + 3_600_000));
    assertThat(rollup.windows()).isEqualTo(1);
    assertThat(rollup.total().count()).isEqualTo(4);
  }

  @Test
  void windowsAndRollupSelectSessionsThatOverlapTheRange() {
    GroupKey a = GroupKey.of("temp", "a");
    WindowAggregate early = session("a", new long[] {T0, T0 + 10_000}, new double[] {1, 2});
    WindowAggregate late =
        session("a", new long[] {T0 + 100_000, T0 + 110_000}, new double[] {5, 6});
    query.pipe(early);
    query.pipe(late);

    // The range starts inside the early session and ends at the late one's start.
    WindowSeries series = found(queries.windows(SESSIONS, a, T0 + 5_000, T0 + 100_000));
    assertThat(series.windows())
        .extracting(WindowAggregate::windowStart)
        .containsExactly(T0, T0 + 100_000);
    Rollup rollup = found(queries.rollup(SESSIONS, a, T0 + 5_000, T0 + 100_000));
    assertThat(rollup.windows()).isEqualTo(2);
    assertThat(rollup.total().count()).isEqualTo(early.count() + late.count());
    assertThat(rollup.total().sum()).isEqualTo(early.sum() + late.sum());

    // Just after the early session's last event: only the late one.
    assertThat(found(queries.windows(SESSIONS, a, T0 + 10_001, T0 + 200_000)).windows())
        .extracting(WindowAggregate::windowStart)
        .containsExactly(T0 + 100_000);
    // The early session's end itself is inside it (a session is the closed interval).
    assertThat(found(queries.windows(SESSIONS, a, T0 + 10_000, T0 + 50_000)).windows())
        .extracting(WindowAggregate::windowStart)
        .containsExactly(T0);
  }

  @Test
  void topRanksTheSessionsLiveAtTheLatestSessionStartOrAtTheGivenInstant() {
    WindowAggregate a =
        session("a", new long[] {T0, T0 + 100_000, T0 + 200_000}, new double[] {1, 1, 1});
    WindowAggregate b = session("b", new long[] {T0 + 150_000, T0 + 190_000}, new double[] {2, 2});
    WindowAggregate c =
        session("c", new long[] {T0, T0 + 1, T0 + 2, T0 + 3, T0 + 10_000},
            new double[] {3, 3, 3, 3, 3});
    query.pipeAll(List.of(a, b, c));

    // Latest start: b's. Live then: a (open across it) and b; c ended minutes before.
    TopWindow latest = found(queries.top(SESSIONS, TopMetric.COUNT, 10, OptionalLong.empty()));
    assertThat(latest.windowEnd()).isEqualTo(b.windowStart());
    assertThat(latest.entries())
        .extracting(e -> e.key().values().get(1))
        .containsExactly("a", "b");

    // At T0 + 5 s, a and c were live; c had more events.
    TopWindow early =
        found(queries.top(SESSIONS, TopMetric.COUNT, 10, OptionalLong.of(T0 + 5_000)));
    assertThat(early.entries())
        .extracting(e -> e.key().values().get(1))
        .containsExactly("c", "a");
    assertThat(early.entries().get(0).aggregate().count()).isEqualTo(c.count());
  }

  @Test
  void slidingWindowsRollUpWithoutCountingAnEventTwiceAndRankAtAnInstant() {
    long size = SLIDING.window().size().toMillis() + 1;
    List<String> temp = List.of("temp");
    // Windows as aggregate-service writes them: exclusive end = start + time difference + 1.
    WindowAggregate w1 = window(SLIDING, temp, T0, T0 + size, new long[] {T0}, new double[] {1});
    WindowAggregate w2 =
        window(SLIDING, temp, T0 + 5_000, T0 + 5_000 + size, new long[] {T0 + 5_000, T0 + 9_000},
            new double[] {2, 3});
    WindowAggregate w3 =
        window(SLIDING, temp, T0 + size, T0 + 2 * size, new long[] {T0 + size}, new double[] {4});
    WindowAggregate other =
        window(SLIDING, List.of("hum"), T0 + 2_000, T0 + 2_000 + size, new long[] {T0 + 2_000},
            new double[] {9});
    query.pipeAll(List.of(w1, w2, w3, other));

    Rollup rollup = found(queries.rollup(SLIDING, GroupKey.of("temp"), T0, T0 + 2 * size));
    // w2 overlaps w1, so it is skipped; w3 starts where w1 ends.
    assertThat(rollup.windows()).isEqualTo(2);
    assertThat(rollup.total().count()).isEqualTo(w1.count() + w3.count());

    TopWindow top = found(queries.top(SLIDING, TopMetric.MAX, 10, OptionalLong.of(T0 + 6_000)));
    assertThat(top.entries())
        .extracting(e -> KeyValue.pair(e.key().values().get(0), e.aggregate().windowStart()))
        .containsExactly(KeyValue.pair("hum", T0 + 2_000), KeyValue.pair("temp", T0 + 5_000));
    assertThat(top.windowEnd()).isEqualTo(T0 + 6_000);
  }

  @SuppressWarnings("unchecked")
  private static <T> T found(QueryResult<T> result) {
    assertThat(result).isInstanceOf(QueryResult.Found.class);
    return ((QueryResult.Found<T>) result).value();
  }
}
