package io.streamdown.query.streams;

import io.streamdown.query.streams.QueryStoreListener.SkipReason;
import io.streamdown.schemas.AggregateKey;
import io.streamdown.schemas.ViewDefinition;
import java.util.Map;

/**
 * Where an aggregate belongs in query's stores: the store of its view, under its encoded group
 * (the store key) at its window start. One rule for the stream thread's writes and for the replay
 * of {@code aggregates}, so both put a window in the same place.
 *
 * @param view the configured view, or null when the aggregate is skipped
 * @param group {@link io.streamdown.schemas.GroupKey#encode()} of the group
 * @param skipped why the aggregate is not stored, or null when it is
 */
record StoreSlot(ViewDefinition view, String group, long windowStart, SkipReason skipped) {

  static StoreSlot of(AggregateKey key, Map<String, ViewDefinition> views) {
    ViewDefinition view = views.get(key.view());
    if (view == null) {
      return new StoreSlot(null, null, key.windowStart(), SkipReason.UNKNOWN_VIEW);
    }
    if (key.group().size() != view.groupBy().size()) {
      return new StoreSlot(null, null, key.windowStart(), SkipReason.GROUP_MISMATCH);
    }
    return new StoreSlot(view, key.groupKey().encode(), key.windowStart(), null);
  }
}
