package io.streamdown.ingest.request;

import io.streamdown.schemas.EventLimits;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The rules of a flat attribute map, shared by event attributes and reference data: at most {@link
 * EventLimits#MAX_ATTRIBUTES} entries, names of 1 to {@link EventLimits#MAX_ATTRIBUTE_NAME_LENGTH}
 * characters, values that are strings (at most {@link EventLimits#MAX_ATTRIBUTE_STRING_LENGTH}
 * characters), finite numbers or booleans. Lengths count UTF-16 units, as {@link EventLimits} does,
 * so the stream stages never see an attribute they would reject.
 */
final class AttributeRules {

  private AttributeRules() {}

  /**
   * Reads an attribute object.
   *
   * @param node the JSON object
   * @param prefix prepended to each attribute name in problems ({@code "attributes."} or empty)
   * @param problems receives every problem found
   * @return the attributes in their order, valid only when no problem was added
   */
  static Map<String, Object> read(JsonNode node, String prefix, List<FieldProblem> problems) {
    Map<String, Object> attributes = new LinkedHashMap<>();
    if (node.size() > EventLimits.MAX_ATTRIBUTES) {
      problems.add(
          new FieldProblem(
              prefix.isEmpty() ? null : prefix.substring(0, prefix.length() - 1),
              "at most " + EventLimits.MAX_ATTRIBUTES + " attributes, got " + node.size()));
    }
    for (Map.Entry<String, JsonNode> entry : node.properties()) {
      String name = entry.getKey();
      String field = prefix + abbreviate(name);
      if (name.isEmpty() || name.length() > EventLimits.MAX_ATTRIBUTE_NAME_LENGTH) {
        problems.add(
            new FieldProblem(
                field,
                "attribute names must be 1 to "
                    + EventLimits.MAX_ATTRIBUTE_NAME_LENGTH
                    + " characters"));
        continue;
      }
      Object value = value(entry.getValue(), field, problems);
      if (value != null) {
        attributes.put(name, value);
      }
    }
    return attributes;
  }

  private static Object value(JsonNode node, String field, List<FieldProblem> problems) {
    if (node.isString()) {
      String text = node.stringValue();
      if (text.length() > EventLimits.MAX_ATTRIBUTE_STRING_LENGTH) {
        problems.add(
            new FieldProblem(
                field,
                "string values are at most "
                    + EventLimits.MAX_ATTRIBUTE_STRING_LENGTH
                    + " characters, got "
                    + text.length()));
        return null;
      }
      return text;
    }
    if (node.isBoolean()) {
      return node.booleanValue();
    }
    if (node.isNumber()) {
      if (node.isIntegralNumber()) {
        return node.canConvertToLong() ? (Object) node.longValue() : node.numberValue();
      }
      double number = node.doubleValue();
      if (!Double.isFinite(number)) {
        problems.add(new FieldProblem(field, "must be a finite number"));
        return null;
      }
      return number;
    }
    if (node.isNull()) {
      problems.add(new FieldProblem(field, "must be a string, number or boolean, not null"));
    } else {
      problems.add(
          new FieldProblem(
              field,
              "must be a string, number or boolean; nested objects and arrays are not"
                  + " allowed"));
    }
    return null;
  }

  /** Keeps problem reports short when a name is absurdly long. */
  static String abbreviate(String name) {
    int max = EventLimits.MAX_ATTRIBUTE_NAME_LENGTH;
    return name.length() <= max ? name : name.substring(0, max) + "...";
  }
}
