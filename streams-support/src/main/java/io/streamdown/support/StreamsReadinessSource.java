package io.streamdown.support;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.kafka.streams.KafkaStreams;

/**
 * What {@link KafkaStreamsReadiness} decides on: the Streams client's state, the stores being
 * restored and the input lag. {@link KafkaStreamsStatus} reads them from the running client; tests
 * supply their own.
 */
public interface StreamsReadinessSource {

  /** The client's state; empty while the client has not been created yet. */
  Optional<KafkaStreams.State> state();

  /** The active store partitions being restored right now. */
  List<RestoreTracker.Restoring> restoring();

  /** How many store partitions finished restoring since start-up. */
  long restoresCompleted();

  /**
   * The largest lag, in offsets, of any input partition this instance's active tasks consume;
   * empty when unknown (no partition assigned or nothing fetched yet).
   */
  OptionalLong maxInputLag();
}
