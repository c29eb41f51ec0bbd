package io.streamdown.enrich.streams;

import io.streamdown.enrich.config.EnrichSettings;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The heap that the de-duplication filters of one enrich instance may take, shared by its tasks
 * (each task's processor reserves what its filters need and releases it when they are dropped or
 * the task closes). A bucket whose filter would go beyond the limit loses its filter instead, and
 * its lookups go to the store, as they all did before the filters: the limit costs speed, never
 * correctness. A limit of zero turns the filters off.
 */
public final class DedupeFilterMemory {

  private final long limitBytes;
  private final AtomicLong usedBytes = new AtomicLong();

  public DedupeFilterMemory(long limitBytes) {
    if (limitBytes < 0) {
      throw new IllegalArgumentException("limit must not be negative, was " + limitBytes);
    }
    this.limitBytes = limitBytes;
  }

  /** The budget {@code streamdown.enrich.dedupe-filter-memory} sets. */
  public static DedupeFilterMemory of(EnrichSettings settings) {
    return new DedupeFilterMemory(settings.dedupeFilterMemory().toBytes());
  }

  /** Takes {@code bytes} from the budget, or nothing and false when they do not fit. */
  boolean reserve(long bytes) {
    while (true) {
      long used = usedBytes.get();
      if (used + bytes > limitBytes) {
        return false;
      }
      if (usedBytes.compareAndSet(used, used + bytes)) {
        return true;
      }
    }
  }

  void release(long bytes) {
    usedBytes.addAndGet(-bytes);
  }

  /** Heap taken by the filters of this instance's tasks, in bytes. */
  public long usedBytes() {
    return usedBytes.get();
  }

  public long limitBytes() {
    return limitBytes;
  }
}
