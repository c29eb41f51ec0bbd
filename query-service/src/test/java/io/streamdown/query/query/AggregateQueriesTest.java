package io.streamdown.query.query;

import static io.streamdown.query.TestViews.BY_SOURCE;
import static io.streamdown.query.TestViews.BY_TYPE_5M;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.streamdown.query.Aggregates;
import io.streamdown.query.QueryDriver;
import io.streamdown.query.TestViews;
import io.streamdown.query.config.QuerySettings;
import io.streamdown.schemas.Event;
import io.streamdown.schemas.GroupKey;
import io.streamdown.schemas.QuantileSketches;
import io.streamdown.schemas.WindowAggregate;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The query logic over real stores filled through the topology. */
class AggregateQueriesTest {

  private static final long T0 = Instant.parse("2025-03-01T10:00:00Z").toEpochMilli();
  private static final long MINUTE = 60_000;
  private static final List<String> TEMP_DEV1 = List.of("temp", "dev-1");
  private static final GroupKey TEMP_DEV1_KEY = new GroupKey(TEMP_DEV1);

  @TempDir Path stateDir;

  private QueryDriver query;
  private AggregateQueries queries;

  @BeforeEach
  void start() {
    query = new QueryDriver(TestViews.ALL, stateDir);
    queries = new AggregateQueries(query.storeLocator(), QuerySettings.defaults());
  }

  @AfterEach
  void stop() {
    query.close();
  }

  @Test
  void windowsReturnsTheGroupsWindowsStartingInTheRangeOldestFirst() {
    for (int i = 0; i < 5; i++) {
      query.pipe(Aggregates.withCount(BY_SOURCE, TEMP_DEV1, T0 + i * MINUTE, i + 1));
      query.pipe(Aggregates.withCount(BY_SOURCE, List.of("temp", "dev-2"), T0 + i * MINUTE, 9));
    }

    WindowSeries series =
        found(queries.windows(BY_SOURCE, TEMP_DEV1_KEY, T0 + MINUTE, T0 + 3 * MINUTE));

    assertThat(series.truncated()).isFalse();
    assertThat(series.windows())
        .extracting(WindowAggregate::windowStart)
        .containsExactly(T0 + MINUTE, T0 + 2 * MINUTE, T0 + 3 * MINUTE);
    assertThat(series.windows()).extracting(WindowAggregate::count).containsExactly(2L, 3L, 4L);
    assertThat(series.windows())
        .allSatisfy(w -> assertThat(w.group()).containsEntry("source", "dev-1"));
  }

  @Test
  void windowsOfAnUnknownGroupOrEmptyRangeAreEmpty() {
    query.pipe(Aggregates.withCount(BY_SOURCE, TEMP_DEV1, T0, 1));

    assertThat(found(queries.windows(BY_SOURCE, GroupKey.of("x", "y"), 0, T0)).windows())
        .isEmpty();
    assertThat(found(queries.windows(BY_SOURCE, TEMP_DEV1_KEY, T0 + 1, T0 + MINUTE - 1)).windows())
        .isEmpty();
  }

  @Test
  void windowsBeyondTheLimitKeepTheNewest() {
    queries =
        new AggregateQueries(
            query.storeLocator(),
            new QuerySettings(Duration.ofSeconds(2), Duration.ofDays(7), 2, 10, 1000));
    for (int i = 0; i < 4; i++) {
      query.pipe(Aggregates.withCount(BY_SOURCE, TEMP_DEV1, T0 + i * MINUTE, 1));
    }

    WindowSeries series = found(queries.windows(BY_SOURCE, TEMP_DEV1_KEY, T0, T0 + 3 * MINUTE));

    assertThat(series.truncated()).isTrue();
    assertThat(series.windows())
        .extracting(WindowAggregate::windowStart)
        .containsExactly(T0 + 2 * MINUTE, T0 + 3 * MINUTE);
  }

  @Test
  void rollupMergesTheWindowsExactlyAndItsQuantilesStayWithinOnePercent() {
    Random random = new Random(42);
    List<Double> all = new ArrayList<>();
    for (int w = 0; w < 6; w++) {
      double[] values = new double[200];
      for (int i = 0; i < values.length; i++) {
        // Different scales per window, so averaging per-window quantiles would be visibly wrong.
        values[i] = Math.exp(random.nextGaussian() + w) * 10;
        all.add(values[i]);
      }
      query.pipe(Aggregates.withValues(BY_SOURCE, TEMP_DEV1, T0 + w * MINUTE, T0, values));
    }
    // Outside the range: must not count.
    query.pipe(Aggregates.withValues(BY_SOURCE, TEMP_DEV1, T0 + 6 * MINUTE, T0, 1e9));

    Rollup rollup = found(queries.rollup(BY_SOURCE, TEMP_DEV1_KEY, T0, T0 + 5 * MINUTE));

    double[] sorted = all.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    WindowAggregate total = rollup.total();
    assertThat(rollup.windows()).isEqualTo(6);
    assertThat(total.count()).isEqualTo(sorted.length);
    assertThat(total.valueCount()).isEqualTo(sorted.length);
    assertThat(total.sum()).isCloseTo(Arrays.stream(sorted).sum(), within(1e-6));
    assertThat(total.min()).isEqualTo(sorted[0]);
    assertThat(total.max()).isEqualTo(sorted[sorted.length - 1]);
    for (double q : new double[] {0.5, 0.9, 0.99}) {
      double exact = sorted[(int) Math.floor(q * (sorted.length - 1))];
      assertThat(total.quantile(q))
          .as("p%s", q * 100)
          .isCloseTo(exact, within(exact * QuantileSketches.RELATIVE_ACCURACY + 1e-9));
    }
  }

  @Test
  void rollupOfAnEmptyRangeHasNoWindows() {
    query.pipe(Aggregates.withCount(BY_SOURCE, TEMP_DEV1, T0, 3));

    Rollup rollup = found(queries.rollup(BY_SOURCE, TEMP_DEV1_KEY, T0 + MINUTE, T0 + 9 * MINUTE));

    assertThat(rollup.windows()).isZero();
    assertThat(rollup.total()).isNull();
  }

  @Test
  void rollupOfAHoppingViewCountsEveryEventOnce() {
    long advance = BY_TYPE_5M.window().advance().toMillis();
    long size = BY_TYPE_5M.window().size().toMillis();
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      events.add(Aggregates.event("e" + i, T0 + i * 15_000L, (double) i, T0));
    }
    long firstStart = T0 - size + advance;
    long lastStart = events.get(events.size() - 1).time() / advance * advance;
    for (long start = firstStart; start <= lastStart; start += advance) {
      long s = start;
      List<Event> inWindow =
          events.stream().filter(e -> e.time() >= s && e.time() < s + size).toList();
      query.pipe(Aggregates.window(BY_TYPE_5M, List.of("temp"), start, inWindow));
    }

    Rollup all = found(queries.rollup(BY_TYPE_5M, GroupKey.of("temp"), firstStart, lastStart));
    Rollup fromT0 = found(queries.rollup(BY_TYPE_5M, GroupKey.of("temp"), T0, lastStart));

    double sum = events.stream().mapToDouble(Event::value).sum();
    assertThat(all.total().count()).isEqualTo(events.size());
    assertThat(all.total().sum()).isEqualTo(sum);
    assertThat(fromT0.total().count()).isEqualTo(events.size());
    assertThat(fromT0.windows()).isLessThan((int) ((lastStart - T0) / advance) + 1);
  }

  @Test
  void topRanksTheLatestWindowsGroupsWithTiesByKeyAndHonoursTheLimit() {
    query.pipe(Aggregates.withCount(BY_SOURCE, List.of("temp", "old"), T0, 100));
    long latest = T0 + MINUTE;
    query.pipe(Aggregates.withCount(BY_SOURCE, List.of("temp", "d"), latest, 5));
    query.pipe(Aggregates.withCount(BY_SOURCE, List.of("temp", "b"), latest, 7));
    query.pipe(Aggregates.withCount(BY_SOURCE, List.of("temp", "c"), latest, 7));
    query.pipe(Aggregates.withCount(BY_SOURCE, List.of("temp", "a"), latest, 2));

    TopWindow top = found(queries.top(BY_SOURCE, TopMetric.COUNT, 3, OptionalLong.empty()));

    assertThat(top.windowStart()).isEqualTo(latest);
    assertThat(top.windowEnd()).isEqualTo(latest + MINUTE);
    assertThat(top.entries())
        .extracting(e -> e.key().values().get(1))
        .containsExactly("b", "c", "d");
    assertThat(top.entries()).extracting(e -> e.aggregate().count()).containsExactly(7L, 7L, 5L);
  }

  @Test
  void topAtATimeUsesTheWindowContainingItAlignedToTheAdvance() {
    query.pipe(Aggregates.withValues(BY_SOURCE, List.of("temp", "x"), T0, T0, 1, 50, 50));
    query.pipe(Aggregates.withValues(BY_SOURCE, List.of("temp", "y"), T0, T0, 10, 20, 30, 45));
    query.pipe(Aggregates.withCount(BY_SOURCE, List.of("temp", "z"), T0, 9));
    query.pipe(Aggregates.withCount(BY_SOURCE, List.of("temp", "later"), T0 + MINUTE, 1));

    OptionalLong at = OptionalLong.of(T0 + 30_000);
    TopWindow byCount = found(queries.top(BY_SOURCE, TopMetric.COUNT, 10, at));
    TopWindow byMax = found(queries.top(BY_SOURCE, TopMetric.MAX, 10, at));
    TopWindow bySum = found(queries.top(BY_SOURCE, TopMetric.SUM, 10, at));
    TopWindow byP99 = found(queries.top(BY_SOURCE, TopMetric.P99, 10, at));

    assertThat(byCount.windowStart()).isEqualTo(T0);
    assertThat(keys(byCount)).containsExactly("z", "y", "x");
    // z has no values: it ranks last by max and p99.
    assertThat(keys(byMax)).containsExactly("x", "y", "z");
    assertThat(keys(bySum)).containsExactly("y", "x", "z");
    assertThat(keys(byP99)).containsExactly("x", "y", "z");
  }

  @Test
  void topOfAViewWithoutWindowsIsEmpty() {
    TopWindow top = found(queries.top(BY_SOURCE, TopMetric.COUNT, 5, OptionalLong.empty()));

    assertThat(top.windowStart()).isNull();
    assertThat(top.entries()).isEmpty();
  }

  @Test
  void alignDownFollowsTheAdvanceOfTheView() {
    assertThat(AggregateQueries.alignDown(T0 + 90_000, BY_TYPE_5M)).isEqualTo(T0 + MINUTE);
    assertThat(AggregateQueries.alignDown(T0, BY_SOURCE)).isEqualTo(T0);
    assertThat(AggregateQueries.alignDown(-1, BY_SOURCE)).isEqualTo(-MINUTE);
  }

  @Test
  void unqueryableStoresGiveUnavailableWithTheRetryHint() {
    QuerySettings settings = QuerySettings.defaults();
    AggregateQueries closed =
        new AggregateQueries(
            new StoreLocator() {
              @Override
              public ReadOnlyWindowStore<String, WindowAggregate> windowStore(String view) {
                throw new InvalidStateStoreException("Kafka Streams is REBALANCING, not RUNNING");
              }

              @Override
              public ReadOnlyKeyValueStore<String, Long> latestWindowStore() {
                throw new InvalidStateStoreException("Kafka Streams is REBALANCING, not RUNNING");
              }
            },
            settings);

    List<QueryResult<?>> results =
        List.of(
            closed.windows(BY_SOURCE, TEMP_DEV1_KEY, 0, T0),
            closed.rollup(BY_SOURCE, TEMP_DEV1_KEY, 0, T0),
            closed.top(BY_SOURCE, TopMetric.COUNT, 1, OptionalLong.empty()),
            closed.top(BY_SOURCE, TopMetric.COUNT, 1, OptionalLong.of(T0)));

    assertThat(results)
        .allSatisfy(
            result ->
                assertThat(result)
                    .isEqualTo(
                        QueryResult.unavailable(
                            "Kafka Streams is REBALANCING, not RUNNING", settings.retryAfter())));
  }

  private static List<String> keys(TopWindow top) {
    return top.entries().stream().map(e -> e.key().values().get(1)).toList();
  }

  private static <T> T found(QueryResult<T> result) {
    assertThat(result).isInstanceOf(QueryResult.Found.class);
    return ((QueryResult.Found<T>) result).value();
  }
}
