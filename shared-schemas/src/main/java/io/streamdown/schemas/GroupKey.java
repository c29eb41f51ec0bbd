package io.streamdown.schemas;

import java.util.List;
import tools.jackson.core.type.TypeReference;

/**
 * The values of a view's group-by fields for one group, in the view's field order. Its canonical
 * text (a JSON array) is the key of a group in repartition topics and state stores.
 */
public record GroupKey(List<String> values) {

  private static final TypeReference<List<String>> LIST_OF_STRINGS = new TypeReference<>() {};

  public GroupKey {
    values = List.copyOf(values);
  }

  public static GroupKey of(String... values) {
    return new GroupKey(List.of(values));
  }

  /** The canonical text form, e.g. {@code ["temp","dev-1"]}. */
  public String encode() {
    return Json.MAPPER.writeValueAsString(values);
  }

  public static GroupKey decode(String text) {
    return new GroupKey(Json.MAPPER.readValue(text, LIST_OF_STRINGS));
  }
}
