package io.streamdown.schemas;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.type.TypeReference;

/**
 * The values of a view's group-by fields for one group, in the view's field order. Its canonical
 * text (a JSON array) is the key of a group in repartition topics and state stores.
 *
 * <p>The canonical text is what the JSON mapper ({@link Json#MAPPER}) writes for the list of
 * values. Aggregate encodes a key for every event and decodes one for every aggregate it emits,
 * and query for every aggregate it stores and every point query, so keys whose values need no
 * escaping (printable characters other than quote and backslash, the usual case) are written and
 * read here directly, byte for byte what the mapper would produce or accept; any other key goes
 * through the mapper.
 */
public record GroupKey(List<String> values) {

  private static final TypeReference<List<String>> LIST_OF_STRINGS = new TypeReference<>() {};

  public GroupKey {
    values = List.copyOf(values);
  }

  public static GroupKey of(String... values) {
    return new GroupKey(List.of(values));
  }

  /** The key of an event's values of {@code paths}, or null when the event lacks one of them. */
  public static GroupKey of(List<FieldPath> paths, EnrichedEvent enriched) {
    List<String> values = new ArrayList<>(paths.size());
    for (FieldPath path : paths) {
      String value = path.resolve(enriched);
      if (value == null) {
        return null;
      }
      values.add(value);
    }
    return new GroupKey(values);
  }

  /** The canonical text form, e.g. {@code ["temp","dev-1"]}. */
  public String encode() {
    int length = 1 + values.size() * 3;
    for (String value : values) {
      length += value.length();
    }
    char[] text = new char[Math.max(length, 2)];
    text[0] = '[';
    int at = 1;
    for (int i = 0; i < values.size(); i++) {
      String value = values.get(i);
      if (i > 0) {
        text[at++] = ',';
      }
      text[at++] = '"';
      value.getChars(0, value.length(), text, at);
      for (int end = at + value.length(); at < end; at++) {
        if (!isPlain(text[at])) {
          return Json.MAPPER.writeValueAsString(values);
        }
      }
      text[at++] = '"';
    }
    text[at] = ']';
    return new String(text);
  }

  /**
   * The key of a canonical text form. Also accepts any other JSON array of strings (whitespace,
   * escapes), as the mapper reads it.
   *
   * @throws tools.jackson.core.JacksonException when the text is not a JSON array of strings
   */
  public static GroupKey decode(String text) {
    List<String> values = decodePlain(text);
    return new GroupKey(values != null ? values : Json.MAPPER.readValue(text, LIST_OF_STRINGS));
  }

  /**
   * The values of a canonical form whose values are all plain ({@link #isPlain}), or null for
   * any other text, which the mapper then reads (or rejects).
   */
  static List<String> decodePlain(String text) {
    int end = text.length() - 1;
    if (end < 1 || text.charAt(0) != '[' || text.charAt(end) != ']') {
      return null;
    }
    List<String> values = new ArrayList<>();
    if (end == 1) {
      return values;
    }
    int i = 1;
    while (true) {
      if (text.charAt(i) != '"') {
        return null;
      }
      int start = ++i;
      while (i < end && text.charAt(i) != '"') {
        if (!isPlain(text.charAt(i))) {
          return null;
        }
        i++;
      }
      if (i >= end) {
        return null;
      }
      values.add(text.substring(start, i));
      char next = text.charAt(++i);
      if (next == ']') {
        return i == end ? values : null;
      }
      if (next != ',') {
        return null;
      }
      i++;
    }
  }

  /**
   * A character the mapper writes as it is: not a control character, quote or backslash (which
   * it escapes) and not half of a surrogate pair (left to the mapper, pair or not).
   */
  static boolean isPlain(char c) {
    return c >= 0x20 && c != '"' && c != '\\' && !Character.isSurrogate(c);
  }
}
