package io.streamdown.aggregate.streams;

import static io.streamdown.aggregate.streams.AggregateDriver.BASE;
import static io.streamdown.aggregate.streams.AggregateDriver.event;
import static org.assertj.core.api.Assertions.assertThat;

import io.streamdown.schemas.EmitMode;
import io.streamdown.schemas.GroupKey;
import io.streamdown.schemas.Json;
import io.streamdown.schemas.StoredAggregateSerde;
import io.streamdown.schemas.ViewDefinition;
import io.streamdown.schemas.WindowAggregate;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.internals.WrappedStateStore;
import org.junit.jupiter.api.Test;

/**
 * A view's store written by a version that stored aggregates as JSON (a restored changelog holds
 * exactly those bytes) keeps its state: the next event of the window adds to the JSON aggregate,
 * and the store then holds the binary form.
 */
class StoredAggregateUpgradeTest {

  @Test
  void aWindowStoredAsJsonGoesOnCountingAndIsRewrittenInTheBinaryForm() {
    ViewDefinition view = AggregateTopologyTest.tumbling("by-type", EmitMode.UPDATES, "type");
    try (AggregateDriver driver = new AggregateDriver(view)) {
      String groupKey = GroupKey.of("click").encode();
      WindowAggregate earlier =
          WindowAggregate.empty("by-type", Map.of("type", "click"), 0L, 0L)
              .plus(BASE + 100, BASE + 150, 1.0)
              .plus(BASE + 200, BASE + 250, 2.0);
      WindowStore<Bytes, byte[]> bytes = bytesStore(driver, "by-type");
      Bytes key = Bytes.wrap(groupKey.getBytes(StandardCharsets.UTF_8));
      // A DSL window store is timestamped: each value is the record's timestamp, then its bytes.
      byte[] json = Json.write(earlier);
      byte[] stored = ByteBuffer.allocate(8 + json.length).putLong(BASE + 250).put(json).array();
      bytes.put(key, stored, BASE);

      driver.send(event("click", "dev-1", BASE + 3000, 4.0));

      assertThat(driver.readAggregates())
          .singleElement()
          .satisfies(
              aggregate -> {
                assertThat(aggregate.count()).isEqualTo(3);
                assertThat(aggregate.sum()).isEqualTo(7.0);
                assertThat(aggregate.min()).isEqualTo(1.0);
                assertThat(aggregate.firstEventTime()).isEqualTo(BASE + 100);
                assertThat(aggregate.group()).containsEntry("type", "click");
              });
      assertThat(bytes.fetch(key, BASE)[8]).isEqualTo(StoredAggregateSerde.FORMAT);
    }
  }

  /**
   * The innermost window store beneath the typed, caching and logging layers: the RocksDB store
   * that a changelog restores bytes into.
   */
  @SuppressWarnings("unchecked")
  private static WindowStore<Bytes, byte[]> bytesStore(AggregateDriver driver, String view) {
    StateStore store = driver.driver.getTimestampedWindowStore(new ViewNames(view).store());
    while (store instanceof WrappedStateStore<?, ?, ?> wrapped
        && wrapped.wrapped() instanceof WindowStore<?, ?>) {
      store = wrapped.wrapped();
    }
    assertThat(store.getClass().getSimpleName()).startsWith("RocksDB");
    return (WindowStore<Bytes, byte[]>) store;
  }
}
