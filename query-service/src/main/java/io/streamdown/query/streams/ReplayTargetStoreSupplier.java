package io.streamdown.query.streams;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.WindowBytesStoreSupplier;
import org.apache.kafka.streams.state.WindowStore;

/** Kafka Streams' persistent window store of a view, each instance a {@link ReplayTargetStore}. */
record ReplayTargetStoreSupplier(
    WindowBytesStoreSupplier persistent, String view, ReplayTargets targets)
    implements WindowBytesStoreSupplier {

  @Override
  public String name() {
    return persistent.name();
  }

  @Override
  public WindowStore<Bytes, byte[]> get() {
    return new ReplayTargetStore(persistent.get(), view, targets);
  }

  @Override
  public String metricsScope() {
    return persistent.metricsScope();
  }

  @Override
  public long segmentIntervalMs() {
    return persistent.segmentIntervalMs();
  }

  @Override
  public long windowSize() {
    return persistent.windowSize();
  }

  @Override
  public boolean retainDuplicates() {
    return persistent.retainDuplicates();
  }

  @Override
  public long retentionPeriod() {
    return persistent.retentionPeriod();
  }
}
