package io.streamdown.aggregate.streams;

import io.streamdown.schemas.WindowAggregate;
import io.streamdown.support.DeadLetterListener;

/**
 * Told of what the aggregate topology does with each record besides aggregating it: records it
 * dead-letters, events a view cannot key or receives too late, and aggregates it emits. Metrics
 * hang off this, so the topology itself stays free of any metrics library.
 *
 * <p>Calls happen on the stream threads, once per record and view; implementations must be
 * thread-safe and cheap.
 */
public interface AggregateListener extends DeadLetterListener {

  /** A listener that ignores everything. */
  AggregateListener NONE =
      new AggregateListener() {
        @Override
        public void deadLettered(String stage, String errorClass) {}

        @Override
        public void late(String view) {}

        @Override
        public void unkeyed(String view) {}

        @Override
        public void emitted(String view, WindowAggregate aggregate) {}

        @Override
        public void retracted(String view) {}

        @Override
        public void regrouped(String view) {}
      };

  /**
   * An event arrived after every window of {@code view} containing it had closed; Kafka Streams
   * drops it from that view.
   */
  void late(String view);

  /**
   * An event lacks a group-by field of {@code view} (for example {@code reference.region} of an
   * unmatched event), so that view skips it.
   */
  void unkeyed(String view);

  /** An aggregate of {@code view} is about to be written to the {@code aggregates} topic. */
  void emitted(String view, WindowAggregate aggregate);

  /**
   * A session of {@code view} was superseded (merged into another, or grown) and its tombstone is
   * about to be written to the {@code aggregates} topic.
   */
  void retracted(String view);

  /**
   * An event of {@code view}, the view whose groups key {@code events.enriched} ({@link
   * io.streamdown.schemas.EnrichedKeying}), came keyed otherwise (by source, or by another
   * definition of the view) and went through the view's repartition topic.
   */
  void regrouped(String view);
}
