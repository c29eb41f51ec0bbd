package io.streamdown.schemas;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The partition of {@code events.raw} an enriched event was read from, carried in the header
 * {@link #HEADER} of every record enrich writes (value: the partition number in decimal, UTF-8).
 *
 * <p>Why aggregate needs it: each partition of {@code events.raw} is enriched, in order, by one
 * task, but every task writes to every partition of {@code events.enriched} (and of aggregate's
 * repartition topics). When enrich's tasks run at different speeds, notably while they catch up
 * on a backlog, one aggregate partition receives the events of a fast task long before those of
 * a slow one, and a window's grace measured against the newest event seen (Kafka Streams' stream
 * time) closes windows that the slow task's events still belong to. Knowing each event's origin,
 * aggregate measures lateness against the slowest origin instead (aggregate README, "Grace and
 * late events").
 */
public final class EventOrigin {

  /** Header naming the {@code events.raw} partition an enriched event came from. */
  public static final String HEADER = "streamdown.origin-partition";

  /** What {@link #of} returns for a record without a readable origin. */
  public static final int UNKNOWN = -1;

  private EventOrigin() {}

  /** Sets the origin of a record, replacing any earlier one. */
  public static void mark(Headers headers, int partition) {
    putPartition(headers, HEADER, partition);
  }

  /**
   * The origin partition in {@code headers} (the last such header), or {@link #UNKNOWN} when there
   * is none or it is not a partition number (a record another producer wrote).
   */
  public static int of(Headers headers) {
    return partition(headers, HEADER);
  }

  /**
   * Writes a partition number under the header {@code name} in the form {@link #HEADER} has,
   * replacing any earlier one: for other headers that name a partition a record passed through.
   */
  public static void putPartition(Headers headers, String name, int partition) {
    if (partition < 0) {
      throw new IllegalArgumentException("partition: must be >= 0, was " + partition);
    }
    headers.remove(name);
    headers.add(name, Integer.toString(partition).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The partition number in the last header {@code name}, or {@link #UNKNOWN} when there is none
   * or it is not one (read from the bytes, without a string: it runs for every event).
   */
  public static int partition(Headers headers, String name) {
    Header header = headers.lastHeader(name);
    if (header == null || header.value() == null) {
      return UNKNOWN;
    }
    byte[] value = header.value();
    if (value.length == 0 || value.length > 9) {
      return UNKNOWN;
    }
    int partition = 0;
    for (byte digit : value) {
      if (digit < '0' || digit > '9') {
        return UNKNOWN;
      }
      partition = partition * 10 + (digit - '0');
    }
    return partition;
  }
}
