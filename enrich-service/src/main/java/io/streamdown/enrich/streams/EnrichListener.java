package io.streamdown.enrich.streams;

/**
 * Told of the outcome of every event the enrich topology handles, so that metrics can be kept
 * outside the topology. Called on the stream thread: implementations must be cheap and must not
 * throw.
 */
public interface EnrichListener {

  EnrichListener NONE =
      new EnrichListener() {
        @Override
        public void matched() {}

        @Override
        public void unmatched() {}

        @Override
        public void duplicate() {}

        @Override
        public void held() {}
      };

  /** An event was enriched with its source's reference data. */
  void matched();

  /** An event was forwarded without reference data: its source had none at ingest time. */
  void unmatched();

  /** An event was dropped as a duplicate of one seen within the de-duplication horizon. */
  void duplicate();

  /**
   * An event found no reference data and waits for its source's reference before it goes on
   * (matched or, when the wait is up, unmatched; both are reported then).
   */
  void held();
}
