package io.streamdown.query.streams;

import java.util.Locale;

/** Told what the store writer did with each aggregate (metrics hang off this). */
public interface QueryStoreListener {

  QueryStoreListener NONE =
      new QueryStoreListener() {
        @Override
        public void stored(String view, long freshnessMillis) {}

        @Override
        public void skipped(String view, SkipReason reason) {}
      };

  /**
   * An aggregate was written to its view's store.
   *
   * @param freshnessMillis wall-clock time minus the aggregate's last ingest time
   */
  void stored(String view, long freshnessMillis);

  /** An aggregate was not stored. */
  void skipped(String view, SkipReason reason);

  /** Why an aggregate was not stored. */
  enum SkipReason {
    /** Its view is not configured here (yet, or any more). */
    UNKNOWN_VIEW,
    /** Its group has not as many values as the view has group-by fields (view redefined). */
    GROUP_MISMATCH;

    /** The metric tag value, e.g. {@code unknown-view}. */
    public String tag() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }
}
