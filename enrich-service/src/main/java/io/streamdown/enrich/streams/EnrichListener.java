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

        @Override
        public void referenceFromMemory() {}

        @Override
        public void referenceFromStore() {}
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

  /**
   * An event's reference version was found among the latest versions the task keeps in memory
   * ({@code streamdown.enrich.reference-cache}).
   */
  void referenceFromMemory();

  /**
   * An event's reference version was read from the store: its source was not kept in memory (or
   * keeping is off), has no latest version, or changed after the event was ingested.
   */
  void referenceFromStore();
}
