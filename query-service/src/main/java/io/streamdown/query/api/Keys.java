package io.streamdown.query.api;

import io.streamdown.schemas.GroupKey;
import io.streamdown.schemas.ViewDefinition;
import java.util.LinkedHashMap;
import java.util.Map;

/** A group key as the API shows it: group-by field to value, in the view's field order. */
final class Keys {

  private Keys() {}

  static Map<String, String> keyOf(ViewDefinition view, GroupKey group) {
    Map<String, String> key = new LinkedHashMap<>();
    for (int i = 0; i < view.groupBy().size(); i++) {
      key.put(view.groupBy().get(i), i < group.values().size() ? group.values().get(i) : null);
    }
    return key;
  }
}
