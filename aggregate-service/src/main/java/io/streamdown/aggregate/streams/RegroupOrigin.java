package io.streamdown.aggregate.streams;

import io.streamdown.schemas.EventOrigin;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * Notes on a record about to take a view's repartition topic the partition of {@code
 * events.enriched} it was read from (header {@link #HEADER}, decimal).
 *
 * <p>Why: the events of one {@code events.raw} partition stay in order only along one path. With
 * enrich keying by the first view's groups they spread over every partition of {@code
 * events.enriched}, and each of those is regrouped by its own task, so a view's task behind the
 * repartition topic receives one raw partition's events along several paths that run unevenly.
 * {@link LateEventFilter} therefore tells origins apart by raw partition and, for regrouped
 * records, by this partition too ({@link #originOf}).
 */
final class RegroupOrigin implements FixedKeyProcessor<String, Contribution, Contribution> {

  /** Header of a regrouped record: the {@code events.enriched} partition it was read from. */
  static final String HEADER = "streamdown.regrouped-from";

  private FixedKeyProcessorContext<String, Contribution> context;
  private int partition;

  @Override
  public void init(FixedKeyProcessorContext<String, Contribution> context) {
    this.context = context;
    // The sub-topology reads events.enriched, one partition per task.
    this.partition = context.taskId().partition();
  }

  @Override
  public void process(FixedKeyRecord<String, Contribution> record) {
    // A copy: the record's headers are shared with the other views' branches.
    Headers headers = new RecordHeaders(record.headers().toArray());
    EventOrigin.putPartition(headers, HEADER, partition);
    context.forward(record.withHeaders(headers));
  }

  /**
   * The origin of a record for {@link OriginWatermark}: its {@code events.raw} partition ({@code
   * rawPartition}, or -1 where unknown) and, if it was regrouped, the {@code events.enriched}
   * partition it was regrouped from, as one number.
   */
  static long originOf(int rawPartition, Headers headers) {
    return ((long) rawPartition << 32) | (regroupedFrom(headers) + 1L);
  }

  /**
   * The partition in {@link #HEADER}, or {@link EventOrigin#UNKNOWN} (-1) without one (a record
   * that was not regrouped).
   */
  static int regroupedFrom(Headers headers) {
    return EventOrigin.partition(headers, HEADER);
  }
}
