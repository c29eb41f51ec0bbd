package io.streamdown.query.streams;

import io.streamdown.schemas.ViewDefinition;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.BatchingStateRestoreCallback;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.query.Position;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Query's position in {@code aggregates}, and the replay of that topic into the view stores.
 *
 * <p>The view stores hold nothing that {@code aggregates} does not: the latest aggregate of each
 * window, which is what compaction keeps of the topic. So they write no changelog of their own.
 * This store, which holds no data, is attached to {@code aggregates} as its changelog ({@link
 * org.apache.kafka.streams.Topology#addReadOnlyStateStore}): Kafka Streams checkpoints the task's
 * offset in the topic for it, and where a task's state is new, was wiped (a crash under
 * exactly-once) or lags (a standby), replays the topic up to the task's committed position
 * through {@link #restoreAll}, which puts each aggregate where {@link AggregateStoreWriter} would.
 * Putting an aggregate twice writes the same bytes, so a replay that overlaps what a store already
 * holds is harmless.
 *
 * <p>A record that does not parse, or belongs to no view configured here, is skipped: the stream
 * thread dead-lettered or counted it when it first read it.
 */
final class AggregatesReplay implements StateStore, BatchingStateRestoreCallback {

  private static final Logger log = LoggerFactory.getLogger(AggregatesReplay.class);

  private final String name;
  private final Map<String, ViewDefinition> views;
  private final ReplayTargets targets;
  private final AggregateRecordParser parser = new AggregateRecordParser();
  private TaskId task;
  private boolean open;
  private long skipped;

  AggregatesReplay(String name, Map<String, ViewDefinition> views, ReplayTargets targets) {
    this.name = name;
    this.views = views;
    this.targets = targets;
  }

  @Override
  public void init(StateStoreContext context, StateStore root) {
    task = context.taskId();
    context.register(root, this);
    open = true;
  }

  @Override
  public void restoreAll(Collection<KeyValue<byte[], byte[]>> records) {
    for (KeyValue<byte[], byte[]> record : records) {
      IncomingAggregate incoming;
      try {
        String key = record.key == null ? null : new String(record.key, StandardCharsets.UTF_8);
        incoming = parser.parse(key, record.value);
      } catch (RuntimeException e) {
        skip(e.getMessage());
        continue;
      }
      StoreSlot slot = StoreSlot.of(incoming.key(), views);
      if (slot.skipped() != null) {
        skip(slot.skipped().tag() + " " + incoming.key().view());
        continue;
      }
      targets
          .store(task, slot.view().name())
          .replay(slot.group(), incoming.aggregate(), slot.windowStart());
    }
  }

  private void skip(String why) {
    if (skipped++ < 5) {
      log.debug("Task {}: skipped an aggregate while replaying {}: {}", task, name, why);
    }
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void flush() {
    // Holds nothing: the view stores flush themselves, before Kafka Streams checkpoints.
  }

  @Override
  public void close() {
    open = false;
  }

  /**
   * Persistent, so that Kafka Streams checkpoints this task's offset in {@code aggregates} and a
   * restart replays only what came after it, rather than the whole topic each time.
   */
  @Override
  public boolean persistent() {
    return true;
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  @Override
  public Position getPosition() {
    return Position.emptyPosition();
  }
}
