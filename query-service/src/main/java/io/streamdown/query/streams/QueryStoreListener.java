package io.streamdown.query.streams;

import io.streamdown.schemas.WindowAggregate;
import java.util.List;
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

  /**
   * A window of a group was written by the active task (live streams hang off this). Called on
   * a stream thread: implementations must hand work off, never block.
   *
   * @param encodedGroup {@link io.streamdown.schemas.GroupKey#encode()} of the group
   * @param aggregate the window's new aggregate, or null when the window was deleted
   */
  default void windowChanged(
      String view, String encodedGroup, long windowStart, WindowAggregate aggregate) {}

  /** Tells every one of the listeners, in order. */
  static QueryStoreListener all(List<? extends QueryStoreListener> listeners) {
    List<QueryStoreListener> copy = List.copyOf(listeners);
    return new QueryStoreListener() {
      @Override
      public void stored(String view, long freshnessMillis) {
        copy.forEach(l -> l.stored(view, freshnessMillis));
      }

      @Override
      public void skipped(String view, SkipReason reason) {
        copy.forEach(l -> l.skipped(view, reason));
      }

      @Override
      public void windowChanged(
          String view, String encodedGroup, long windowStart, WindowAggregate aggregate) {
        copy.forEach(l -> l.windowChanged(view, encodedGroup, windowStart, aggregate));
      }
    };
  }

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
