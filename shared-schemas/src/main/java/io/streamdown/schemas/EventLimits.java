package io.streamdown.schemas;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The limits of the {@link Event} contract, in one place for ingest (which rejects violations
 * with 422) and for the stream stages (which dead-letter records that some other producer wrote
 * to {@code events.raw} without respecting them).
 */
public final class EventLimits {

  public static final int MAX_EVENT_ID_LENGTH = 128;
  public static final int MAX_SOURCE_LENGTH = 256;
  public static final int MAX_TYPE_LENGTH = 128;
  public static final int MAX_ATTRIBUTES = 64;
  public static final int MAX_ATTRIBUTE_NAME_LENGTH = 128;
  public static final int MAX_ATTRIBUTE_STRING_LENGTH = 1024;

  private EventLimits() {}

  /**
   * Checks an event read from a topic; returns the violations as {@code field: message}, empty
   * when the event is acceptable.
   */
  public static List<String> violations(Event event) {
    List<String> problems = new ArrayList<>();
    requireText(problems, "source", event.source(), MAX_SOURCE_LENGTH);
    requireText(problems, "type", event.type(), MAX_TYPE_LENGTH);
    if (event.eventId() != null
        && (event.eventId().isEmpty() || event.eventId().length() > MAX_EVENT_ID_LENGTH)) {
      problems.add("eventId: must be 1 to " + MAX_EVENT_ID_LENGTH + " characters");
    }
    if (event.value() != null && !Double.isFinite(event.value())) {
      problems.add("value: must be a finite number");
    }
    Map<String, Object> attributes = event.attributesOrEmpty();
    if (attributes.size() > MAX_ATTRIBUTES) {
      problems.add("attributes: at most " + MAX_ATTRIBUTES + " entries");
    }
    attributes.forEach(
        (name, value) -> {
          if (name.isEmpty() || name.length() > MAX_ATTRIBUTE_NAME_LENGTH) {
            problems.add("attributes: names must be 1 to " + MAX_ATTRIBUTE_NAME_LENGTH + " characters");
          } else if (value instanceof String text) {
            if (text.length() > MAX_ATTRIBUTE_STRING_LENGTH) {
              problems.add(
                  "attributes." + name + ": at most " + MAX_ATTRIBUTE_STRING_LENGTH + " characters");
            }
          } else if (value instanceof Double number && !Double.isFinite(number)) {
            problems.add("attributes." + name + ": must be a finite number");
          } else if (!(value instanceof Number || value instanceof Boolean)) {
            problems.add("attributes." + name + ": must be a string, number or boolean");
          }
        });
    return problems;
  }

  private static void requireText(List<String> problems, String field, String value, int max) {
    if (value == null || value.isBlank()) {
      problems.add(field + ": is required");
    } else if (value.length() > max) {
      problems.add(field + ": at most " + max + " characters");
    }
  }
}
