package io.streamdown.schemas;

import java.util.Map;
import java.util.Objects;

/**
 * A group-by field of a view: {@code type}, {@code source}, {@code attributes.X} or
 * {@code reference.Y}. Resolves to the string form of that field of an enriched event.
 */
public record FieldPath(String path) {

  public FieldPath {
    Objects.requireNonNull(path, "path");
    boolean valid =
        path.equals("type")
            || path.equals("source")
            || (path.startsWith("attributes.") && path.length() > "attributes.".length())
            || (path.startsWith("reference.") && path.length() > "reference.".length());
    if (!valid) {
      throw new IllegalArgumentException(
          "unsupported field path '" + path + "': use type, source, attributes.X or reference.Y");
    }
  }

  public static FieldPath of(String path) {
    return new FieldPath(path);
  }

  /** The field's value as a string, or null when the event does not have it. */
  public String resolve(EnrichedEvent enriched) {
    Event event = enriched.event();
    if (path.equals("type")) {
      return event.type();
    }
    if (path.equals("source")) {
      return event.source();
    }
    if (path.startsWith("attributes.")) {
      return asString(event.attributesOrEmpty().get(path.substring("attributes.".length())));
    }
    Map<String, Object> reference = enriched.reference();
    return reference == null ? null : asString(reference.get(path.substring("reference.".length())));
  }

  private static String asString(Object value) {
    if (value == null) {
      return null;
    }
    if (value instanceof Double d && d == Math.rint(d) && !Double.isInfinite(d)) {
      // 3 and 3.0 are the same group: numbers group by their shortest exact text.
      return Long.toString(d.longValue());
    }
    return value.toString();
  }

  @Override
  public String toString() {
    return path;
  }
}
