package io.streamdown.query.streams;

import static io.streamdown.query.TestViews.BY_SOURCE;
import static org.assertj.core.api.Assertions.assertThat;

import io.streamdown.query.Aggregates;
import io.streamdown.query.QueryDriver;
import io.streamdown.query.TestViews;
import io.streamdown.schemas.GroupKey;
import io.streamdown.schemas.Json;
import io.streamdown.schemas.StoredAggregateSerde;
import io.streamdown.schemas.WindowAggregate;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.internals.WrappedStateStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The form of the windows in query's view stores: binary, and a store restored from a changelog
 * that a version storing JSON wrote still answers with every window, each rewritten in the
 * binary form at its next update.
 */
class QueryStoreFormatTest {

  private static final long T0 = Instant.parse("2025-03-01T10:00:00Z").toEpochMilli();
  private static final long MINUTE = 60_000;
  private static final List<String> TEMP_DEV1 = List.of("temp", "dev-1");

  @TempDir Path stateDir;

  private QueryDriver query;
  private WindowStore<Bytes, byte[]> bytes;
  private final Bytes key = bytesOf(GroupKey.of("temp", "dev-1").encode());

  @BeforeEach
  void start() {
    query = new QueryDriver(TestViews.ALL, stateDir);
    bytes = bytesStore(query, BY_SOURCE.name());
  }

  @AfterEach
  void stop() {
    query.close();
  }

  @Test
  void aStoredWindowIsBinary() {
    query.pipe(Aggregates.withValues(BY_SOURCE, TEMP_DEV1, T0, T0, 1.0, 2.0));

    assertThat(bytes.fetch(key, T0)[0]).isEqualTo(StoredAggregateSerde.FORMAT);
  }

  @Test
  void aWindowStoredAsJsonIsReadAndRewrittenInTheBinaryFormAtItsNextUpdate() {
    WindowAggregate earlier = Aggregates.withValues(BY_SOURCE, TEMP_DEV1, T0, T0, 1.0, 2.0);
    WindowAggregate other = Aggregates.withValues(BY_SOURCE, TEMP_DEV1, T0 + MINUTE, T0, 5.0);
    // What a store written by a version that stored JSON holds: the bytes as they were.
    bytes.put(key, Json.write(earlier), T0);
    bytes.put(key, Json.write(other), T0 + MINUTE);

    String group = GroupKey.of("temp", "dev-1").encode();
    WindowStore<String, WindowAggregate> store = query.windowStore(BY_SOURCE.name());
    assertThat(store.fetch(group, T0)).usingRecursiveComparison().isEqualTo(earlier);
    assertThat(store.fetch(group, T0 + MINUTE)).usingRecursiveComparison().isEqualTo(other);

    WindowAggregate newer = Aggregates.withValues(BY_SOURCE, TEMP_DEV1, T0, T0, 1.0, 2.0, 3.0);
    query.pipe(newer);

    assertThat(store.fetch(group, T0)).usingRecursiveComparison().isEqualTo(newer);
    assertThat(bytes.fetch(key, T0)[0]).isEqualTo(StoredAggregateSerde.FORMAT);
    assertThat(bytes.fetch(key, T0 + MINUTE)[0]).isEqualTo((byte) '{');
  }

  private static Bytes bytesOf(String text) {
    return Bytes.wrap(text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The innermost window store beneath the typed and caching layers: the bytes layer that the
   * replay of `aggregates` writes into.
   */
  @SuppressWarnings("unchecked")
  private static WindowStore<Bytes, byte[]> bytesStore(QueryDriver query, String view) {
    StateStore store = query.driver.getWindowStore(QueryTopology.windowStoreName(view));
    while (store instanceof WrappedStateStore<?, ?, ?> wrapped
        && wrapped.wrapped() instanceof WindowStore<?, ?>) {
      store = wrapped.wrapped();
    }
    assertThat(store).isInstanceOf(ReplayTargetStore.class);
    return (WindowStore<Bytes, byte[]>) store;
  }
}
