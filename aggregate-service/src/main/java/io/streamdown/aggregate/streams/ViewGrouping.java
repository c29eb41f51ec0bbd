package io.streamdown.aggregate.streams;

import io.streamdown.schemas.EnrichedEvent;
import io.streamdown.schemas.FieldPath;
import io.streamdown.schemas.GroupKey;
import io.streamdown.schemas.ViewDefinition;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a view groups events: the values of its group-by fields, in the view's order. An event
 * that lacks any of them (null) has no group in that view and is skipped by it.
 */
final class ViewGrouping {

  private final List<String> fields;
  private final List<FieldPath> paths;

  ViewGrouping(ViewDefinition view) {
    this.fields = view.groupBy();
    this.paths = view.fieldPaths();
  }

  /** The group key of an event, or null when a group-by field is missing. */
  GroupKey keyOf(EnrichedEvent enriched) {
    return GroupKey.of(paths, enriched);
  }

  /** The group key of an encoded group key, checked against the view's fields. */
  GroupKey groupKey(String encodedGroupKey) {
    GroupKey key = GroupKey.decode(encodedGroupKey);
    if (key.values().size() != fields.size()) {
      throw new IllegalArgumentException(
          "group key " + encodedGroupKey + " does not have " + fields.size() + " values");
    }
    return key;
  }

  /** Field path to value, in the view's field order, for an encoded group key. */
  Map<String, String> group(String encodedGroupKey) {
    List<String> values = GroupKey.decode(encodedGroupKey).values();
    if (values.size() != fields.size()) {
      throw new IllegalArgumentException(
          "group key " + encodedGroupKey + " does not have " + fields.size() + " values");
    }
    Map<String, String> group = new LinkedHashMap<>();
    for (int i = 0; i < fields.size(); i++) {
      group.put(fields.get(i), values.get(i));
    }
    return Collections.unmodifiableMap(group);
  }
}
