package io.streamdown.query.streams;

import static io.streamdown.query.TestViews.BY_REGION;
import static io.streamdown.query.TestViews.BY_SOURCE;
import static io.streamdown.query.TestViews.BY_TYPE_5M;
import static org.assertj.core.api.Assertions.assertThat;

import io.streamdown.query.Aggregates;
import io.streamdown.query.QueryDriver;
import io.streamdown.query.TestViews;
import io.streamdown.query.streams.QueryStoreListener.SkipReason;
import io.streamdown.schemas.DeadLetters;
import io.streamdown.schemas.GroupKey;
import io.streamdown.schemas.Json;
import io.streamdown.schemas.ViewDefinition;
import io.streamdown.schemas.WindowAggregate;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QueryTopologyTest {

  private static final long T0 = Instant.parse("2025-03-01T10:00:00Z").toEpochMilli();
  private static final long MINUTE = 60_000;
  private static final Instant WALL_CLOCK = Instant.parse("2025-03-01T10:05:00Z");
  private static final List<String> TEMP_DEV1 = List.of("temp", "dev-1");

  @TempDir Path stateDir;

  private final RecordingListener listener = new RecordingListener();
  private final List<String> deadLetters = new ArrayList<>();
  private QueryDriver query;
  private TestOutputTopic<byte[], byte[]> dlq;

  @BeforeEach
  void start() {
    query =
        new QueryDriver(
            TestViews.ALL,
            stateDir,
            WALL_CLOCK,
            listener,
            (stage, errorClass) -> deadLetters.add(stage + ":" + errorClass));
    dlq =
        query.driver.createOutputTopic(
            QueryDriver.TOPICS.eventsDlq().name(),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer());
  }

  @AfterEach
  void stop() {
    query.close();
  }

  @Test
  void everyProcessorAndStoreIsNamedExplicitly() {
    String description = query.topology.describe().toString();
    assertThat(description).doesNotContain("KSTREAM-").doesNotContain("KTABLE-");
    assertThat(query.driver.getAllStateStores().keySet())
        .containsExactlyInAnyOrder(
            "query-by-source-store",
            "query-by-type-5m-store",
            "query-by-region-store",
            "query-sessions-by-source-store",
            QueryTopology.LATEST_WINDOW_STORE,
            QueryTopology.REPLAY_STORE);
  }

  @Test
  void storesAnAggregateInItsViewStoreAtItsWindowStart() {
    WindowAggregate aggregate = Aggregates.withValues(BY_SOURCE, TEMP_DEV1, T0, T0, 1.0, 2.0);

    query.pipe(aggregate);

    String key = GroupKey.of("temp", "dev-1").encode();
    WindowAggregate stored = query.windowStore(BY_SOURCE.name()).fetch(key, T0);
    assertThat(stored).isNotNull();
    assertThat(stored.count()).isEqualTo(aggregate.count());
    assertThat(stored.sum()).isEqualTo(aggregate.sum());
    assertThat(stored.sketch()).isEqualTo(aggregate.sketch());
    assertThat(query.windowStore(BY_SOURCE.name()).fetch(key, T0 + MINUTE)).isNull();
    assertThat(query.windowStore(BY_SOURCE.name()).fetch(key, T0 - MINUTE)).isNull();
    assertThat(countAll(BY_REGION.name())).isZero();
    assertThat(countAll(BY_TYPE_5M.name())).isZero();
    assertThat(dlq.isEmpty()).isTrue();
  }

  @Test
  void hoppingWindowsOfOneGroupAreStoredSideBySide() {
    List<String> group = List.of("temp");
    for (int i = 0; i < 5; i++) {
      query.pipe(Aggregates.withCount(BY_TYPE_5M, group, T0 + i * MINUTE, i + 1));
    }

    String key = GroupKey.of("temp").encode();
    for (int i = 0; i < 5; i++) {
      assertThat(query.windowStore(BY_TYPE_5M.name()).fetch(key, T0 + i * MINUTE).count())
          .isEqualTo(i + 1);
    }
  }

  @Test
  void aNewerAggregateOfAWindowReplacesTheOlderOne() {
    query.pipe(Aggregates.withCount(BY_SOURCE, TEMP_DEV1, T0, 1));
    WindowAggregate newer = Aggregates.withCount(BY_SOURCE, TEMP_DEV1, T0, 3);
    query.pipe(newer);

    assertThat(countAll(BY_SOURCE.name())).isEqualTo(1);
    assertThat(
            query
                .windowStore(BY_SOURCE.name())
                .fetch(GroupKey.of("temp", "dev-1").encode(), T0)
                .count())
        .isEqualTo(newer.count());
  }

  @Test
  void aTombstoneDeletesOnlyItsWindow() {
    query.pipe(Aggregates.withCount(BY_SOURCE, TEMP_DEV1, T0, 1));
    query.pipe(Aggregates.withCount(BY_SOURCE, TEMP_DEV1, T0 + MINUTE, 2));

    query.aggregates.pipeInput(Aggregates.keyText(BY_SOURCE.name(), TEMP_DEV1, T0), null);

    String key = GroupKey.of("temp", "dev-1").encode();
    assertThat(query.windowStore(BY_SOURCE.name()).fetch(key, T0)).isNull();
    assertThat(query.windowStore(BY_SOURCE.name()).fetch(key, T0 + MINUTE)).isNotNull();
    assertThat(dlq.isEmpty()).isTrue();
  }

  @Test
  void theLatestWindowStoreKeepsTheLatestStartPerView() {
    query.pipe(Aggregates.withCount(BY_SOURCE, TEMP_DEV1, T0 + 2 * MINUTE, 1));
    query.pipe(Aggregates.withCount(BY_SOURCE, TEMP_DEV1, T0, 1));
    query.pipe(Aggregates.withCount(BY_SOURCE, List.of("temp", "dev-2"), T0 + MINUTE, 1));
    query.pipe(Aggregates.withCount(BY_TYPE_5M, List.of("temp"), T0 - MINUTE, 1));

    assertThat(query.latestWindowStore().get(BY_SOURCE.name())).isEqualTo(T0 + 2 * MINUTE);
    assertThat(query.latestWindowStore().get(BY_TYPE_5M.name())).isEqualTo(T0 - MINUTE);
    assertThat(query.latestWindowStore().get(BY_REGION.name())).isNull();

    query.pipe(Aggregates.withCount(BY_SOURCE, TEMP_DEV1, T0 + 3 * MINUTE, 1));
    assertThat(query.latestWindowStore().get(BY_SOURCE.name())).isEqualTo(T0 + 3 * MINUTE);
  }

  @Test
  void garbageIsDeadLetteredAndTheRecordsAroundItAreStored() {
    WindowAggregate before = Aggregates.withCount(BY_SOURCE, TEMP_DEV1, T0, 1);
    WindowAggregate after = Aggregates.withCount(BY_SOURCE, TEMP_DEV1, T0 + MINUTE, 2);
    byte[] notJson = "not json".getBytes(StandardCharsets.UTF_8);
    String badKey = "no-key-json";

    query.pipe(before);
    query.aggregates.pipeInput(Aggregates.keyText(after), notJson);
    query.aggregates.pipeInput(badKey, Json.write(after));
    query.pipe(after);

    String key = GroupKey.of("temp", "dev-1").encode();
    assertThat(query.windowStore(BY_SOURCE.name()).fetch(key, T0).count()).isEqualTo(1);
    assertThat(query.windowStore(BY_SOURCE.name()).fetch(key, T0 + MINUTE).count()).isEqualTo(2);

    List<TestRecord<byte[], byte[]>> letters = dlq.readRecordsToList();
    assertThat(letters).hasSize(2);
    assertThat(letters.get(0).value()).isEqualTo(notJson);
    assertThat(new String(letters.get(0).key(), StandardCharsets.UTF_8))
        .isEqualTo(Aggregates.keyText(after));
    assertThat(new String(letters.get(1).key(), StandardCharsets.UTF_8)).isEqualTo(badKey);
    for (TestRecord<byte[], byte[]> letter : letters) {
      assertThat(DeadLetters.header(letter.headers(), DeadLetters.STAGE)).isEqualTo("query");
      assertThat(DeadLetters.header(letter.headers(), DeadLetters.ORIGIN_TOPIC))
          .isEqualTo(QueryDriver.TOPICS.aggregates().name());
      assertThat(DeadLetters.header(letter.headers(), DeadLetters.ERROR_CLASS)).isNotBlank();
    }
    assertThat(deadLetters).hasSize(2).allMatch(letter -> letter.startsWith("query:"));
  }

  @Test
  void anAggregateWithACorruptSketchIsDeadLettered() {
    WindowAggregate good = Aggregates.withValues(BY_SOURCE, TEMP_DEV1, T0, T0, 5.0);
    WindowAggregate corrupt =
        new WindowAggregate(
            good.view(), good.group(), good.windowStart(), good.windowEnd(), good.count(),
            good.valueCount(), good.sum(), good.min(), good.max(), good.firstEventTime(),
            good.lastEventTime(), good.lastIngestTime(), new byte[] {(byte) 0xff, 1, 2, 3});

    query.pipe(corrupt);

    assertThat(dlq.readRecordsToList()).hasSize(1);
    assertThat(countAll(BY_SOURCE.name())).isZero();
  }

  @Test
  void aggregatesOfAnUnknownViewAreSkippedAndCounted() {
    WindowAggregate unknown =
        Aggregates.withCount(
            new ViewDefinition(
                "not-here", List.of("type"), BY_SOURCE.window(), null, null, null),
            List.of("temp"),
            T0,
            1);

    query.pipe(unknown);
    query.pipe(Aggregates.withCount(BY_SOURCE, TEMP_DEV1, T0, 1));

    assertThat(listener.skipped).containsExactly("not-here:" + SkipReason.UNKNOWN_VIEW);
    assertThat(countAll(BY_SOURCE.name())).isEqualTo(1);
    assertThat(query.latestWindowStore().get("not-here")).isNull();
    assertThat(dlq.isEmpty()).isTrue();
  }

  @Test
  void anAggregateWhoseGroupDoesNotFitItsViewIsSkipped() {
    query.aggregates.pipeInput(
        Aggregates.keyText(BY_SOURCE.name(), List.of("temp"), T0),
        Json.write(Aggregates.withCount(BY_TYPE_5M, List.of("temp"), T0, 1)));

    assertThat(listener.skipped).containsExactly("by-source:" + SkipReason.GROUP_MISMATCH);
    assertThat(countAll(BY_SOURCE.name())).isZero();
  }

  @Test
  void freshnessIsWallClockMinusTheLastIngestTime() {
    long ingest = WALL_CLOCK.toEpochMilli() - 1_500;
    query.pipe(Aggregates.withValues(BY_SOURCE, TEMP_DEV1, T0, ingest, 1.0));
    query.pipe(Aggregates.withCount(BY_REGION, List.of("temp", "eu"), T0, 0));

    // The second aggregate has no events, hence no ingest time: nothing to measure.
    assertThat(listener.stored).containsExactly(KeyValue.pair(BY_SOURCE.name(), 1_500L));
  }

  private long countAll(String view) {
    long count = 0;
    try (KeyValueIterator<Windowed<String>, WindowAggregate> all =
        query.windowStore(view).all()) {
      while (all.hasNext()) {
        all.next();
        count++;
      }
    }
    return count;
  }

  private static final class RecordingListener implements QueryStoreListener {
    final List<KeyValue<String, Long>> stored = new ArrayList<>();
    final List<String> skipped = new ArrayList<>();

    @Override
    public void stored(String view, long freshnessMillis) {
      stored.add(KeyValue.pair(view, freshnessMillis));
    }

    @Override
    public void skipped(String view, SkipReason reason) {
      skipped.add(view + ":" + reason);
    }
  }
}
