package io.streamdown.query.streams;

import static io.streamdown.query.TestViews.BY_REGION;
import static io.streamdown.query.TestViews.BY_SOURCE;
import static org.assertj.core.api.Assertions.assertThat;

import io.streamdown.query.Aggregates;
import io.streamdown.query.QueryDriver;
import io.streamdown.query.TestViews;
import io.streamdown.schemas.GroupKey;
import io.streamdown.schemas.Json;
import io.streamdown.schemas.ViewDefinition;
import io.streamdown.schemas.WindowAggregate;
import io.streamdown.schemas.WindowSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.WindowStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The replay of {@code aggregates} into the view stores (what Kafka Streams runs where it
 * restores a task), driven directly on the replay store of a TopologyTestDriver's task: it must
 * leave the stores exactly as the stream thread's writes of the same records do.
 */
class AggregatesReplayTest {

  private static final long T0 = Instant.parse("2025-03-01T10:00:00Z").toEpochMilli();
  private static final long MINUTE = 60_000;
  private static final List<String> TEMP_DEV1 = List.of("temp", "dev-1");
  private static final List<String> TEMP_DEV2 = List.of("temp", "dev-2");
  private static final ViewDefinition UNKNOWN_VIEW =
      new ViewDefinition(
          "not-configured-here",
          BY_SOURCE.groupBy(),
          WindowSpec.tumbling(Duration.ofMinutes(1)),
          null,
          null,
          null);

  @TempDir Path processedDir;
  @TempDir Path replayedDir;

  private QueryDriver processed;
  private QueryDriver replayed;

  @BeforeEach
  void start() {
    processed = new QueryDriver(TestViews.ALL, processedDir);
    replayed = new QueryDriver(TestViews.ALL, replayedDir);
  }

  @AfterEach
  void stop() {
    processed.close();
    replayed.close();
  }

  @Test
  void aReplayStoresWhatProcessingTheSameRecordsStores() {
    List<KeyValue<byte[], byte[]>> records = new ArrayList<>();
    for (int minute = 0; minute < 5; minute++) {
      records.add(record(Aggregates.withCount(BY_SOURCE, TEMP_DEV1, T0 + minute * MINUTE, 1)));
      records.add(record(Aggregates.withCount(BY_SOURCE, TEMP_DEV2, T0 + minute * MINUTE, 2)));
    }
    // A window updated later, one deleted (a superseded window's tombstone), another view.
    records.add(record(Aggregates.withValues(BY_SOURCE, TEMP_DEV1, T0, T0, 1.0, 2.0, 3.0)));
    records.add(tombstone(BY_SOURCE.name(), TEMP_DEV2, T0 + MINUTE));
    records.add(record(Aggregates.withCount(BY_REGION, List.of("temp", "eu-west"), T0, 7)));
    records.forEach(r -> processed.aggregates.pipeInput(text(r.key), r.value));

    replay(records.subList(0, 6));
    replay(records.subList(6, records.size()));

    for (String view : List.of(BY_SOURCE.name(), BY_REGION.name())) {
      assertThat(all(replayed, view)).isNotEmpty().isEqualTo(all(processed, view));
    }
    String dev1 = GroupKey.of("temp", "dev-1").encode();
    assertThat(replayed.windowStore(BY_SOURCE.name()).fetch(dev1, T0).count()).isEqualTo(3);
    String dev2 = GroupKey.of("temp", "dev-2").encode();
    assertThat(replayed.windowStore(BY_SOURCE.name()).fetch(dev2, T0 + MINUTE)).isNull();
    assertThat(replayed.windowStore(BY_SOURCE.name()).fetch(dev2, T0 + 2 * MINUTE)).isNotNull();
  }

  @Test
  void whatTheStreamThreadDeadLetteredOrSkippedIsSkippedByAReplay() {
    WindowAggregate good = Aggregates.withCount(BY_SOURCE, TEMP_DEV1, T0, 4);
    replay(
        List.of(
            KeyValue.pair(utf8("not json"), Json.write(good)),
            KeyValue.pair(null, Json.write(good)),
            KeyValue.pair(utf8(Aggregates.keyText(good)), utf8("{\"count\":")),
            record(Aggregates.withCount(UNKNOWN_VIEW, TEMP_DEV1, T0, 1)),
            KeyValue.pair(
                utf8(Aggregates.keyText(BY_SOURCE.name(), List.of("one-value-of-two"), T0)),
                Json.write(good)),
            record(good)));

    assertThat(all(replayed, BY_SOURCE.name()))
        .containsExactly(KeyValue.pair(GroupKey.of("temp", "dev-1").encode() + "@" + T0, 4L));
  }

  private void replay(List<KeyValue<byte[], byte[]>> records) {
    ((AggregatesReplay) replayed.driver.getStateStore(QueryTopology.REPLAY_STORE))
        .restoreAll(records);
  }

  /** Every window of a view as "group@start" and its count, in store order. */
  private static List<KeyValue<String, Long>> all(QueryDriver query, String view) {
    WindowStore<String, WindowAggregate> store = query.windowStore(view);
    List<KeyValue<String, Long>> windows = new ArrayList<>();
    try (KeyValueIterator<Windowed<String>, WindowAggregate> it = store.all()) {
      it.forEachRemaining(
          kv ->
              windows.add(
                  KeyValue.pair(kv.key.key() + "@" + kv.key.window().start(), kv.value.count())));
    }
    return windows;
  }

  private static KeyValue<byte[], byte[]> record(WindowAggregate aggregate) {
    return KeyValue.pair(utf8(Aggregates.keyText(aggregate)), Json.write(aggregate));
  }

  private static KeyValue<byte[], byte[]> tombstone(String view, List<String> group, long start) {
    return KeyValue.pair(utf8(Aggregates.keyText(view, group, start)), null);
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
