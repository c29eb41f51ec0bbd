package io.streamdown.query.streams;

import io.streamdown.schemas.WindowAggregate;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * A view's window store at the bytes layer (Kafka Streams' RocksDB store, under the cache and the
 * metrics), which registers in {@link ReplayTargets} while it is open, so that the replay of
 * {@code aggregates} can write into it. Everything else is the wrapped store's.
 */
final class ReplayTargetStore implements WindowStore<Bytes, byte[]> {

  private final WindowStore<Bytes, byte[]> inner;
  private final String view;
  private final ReplayTargets targets;
  private TaskId task;

  ReplayTargetStore(WindowStore<Bytes, byte[]> inner, String view, ReplayTargets targets) {
    this.inner = inner;
    this.view = view;
    this.targets = targets;
  }

  @Override
  public void init(StateStoreContext context, StateStore root) {
    inner.init(context, root);
    task = context.taskId();
    targets.register(task, view, this);
  }

  @Override
  public void close() {
    if (task != null) {
      targets.unregister(task, view, this);
    }
    inner.close();
  }

  @Override
  public String name() {
    return inner.name();
  }

  @Override
  public void flush() {
    inner.flush();
  }

  @Override
  public boolean persistent() {
    return inner.persistent();
  }

  @Override
  public boolean isOpen() {
    return inner.isOpen();
  }

  @Override
  public <R> QueryResult<R> query(Query<R> query, PositionBound bound, QueryConfig config) {
    return inner.query(query, bound, config);
  }

  @Override
  public Position getPosition() {
    return inner.getPosition();
  }

  /**
   * Puts a replayed aggregate (null: deletes the window) in the bytes the typed store above
   * would write for it.
   */
  void replay(String group, WindowAggregate aggregate, long windowStart) {
    put(
        Bytes.wrap(QueryTopology.STORE_KEYS.serializer().serialize(name(), group)),
        QueryTopology.STORE_VALUES.serializer().serialize(name(), aggregate),
        windowStart);
  }

  @Override
  public void put(Bytes key, byte[] value, long windowStartTimestamp) {
    inner.put(key, value, windowStartTimestamp);
  }

  @Override
  public byte[] fetch(Bytes key, long time) {
    return inner.fetch(key, time);
  }

  @Override
  public WindowStoreIterator<byte[]> fetch(Bytes key, long timeFrom, long timeTo) {
    return inner.fetch(key, timeFrom, timeTo);
  }

  @Override
  public WindowStoreIterator<byte[]> backwardFetch(Bytes key, long timeFrom, long timeTo) {
    return inner.backwardFetch(key, timeFrom, timeTo);
  }

  @Override
  public KeyValueIterator<Windowed<Bytes>, byte[]> fetch(
      Bytes keyFrom, Bytes keyTo, long timeFrom, long timeTo) {
    return inner.fetch(keyFrom, keyTo, timeFrom, timeTo);
  }

  @Override
  public KeyValueIterator<Windowed<Bytes>, byte[]> backwardFetch(
      Bytes keyFrom, Bytes keyTo, long timeFrom, long timeTo) {
    return inner.backwardFetch(keyFrom, keyTo, timeFrom, timeTo);
  }

  @Override
  public KeyValueIterator<Windowed<Bytes>, byte[]> fetchAll(long timeFrom, long timeTo) {
    return inner.fetchAll(timeFrom, timeTo);
  }

  @Override
  public KeyValueIterator<Windowed<Bytes>, byte[]> backwardFetchAll(long timeFrom, long timeTo) {
    return inner.backwardFetchAll(timeFrom, timeTo);
  }

  @Override
  public KeyValueIterator<Windowed<Bytes>, byte[]> all() {
    return inner.all();
  }

  @Override
  public KeyValueIterator<Windowed<Bytes>, byte[]> backwardAll() {
    return inner.backwardAll();
  }
}
