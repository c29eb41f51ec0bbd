package io.streamdown.ingest.request;

import io.streamdown.schemas.EpochMillisDeserializer;
import io.streamdown.schemas.Event;
import io.streamdown.schemas.EventLimits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * Turns one posted JSON object into an {@link Event}, field by field, with a precise message for
 * every problem. Ingest fills what the producer may leave out: a UUID {@code eventId}, and the
 * ingest time as {@code time}.
 *
 * <p>An explicit JSON {@code null} of an optional field counts as absent, since many serializers
 * write nulls for unset fields; everything else is strict, and unknown fields are refused so that
 * typos surface.
 */
final class EventValidator {

  static final Set<String> FIELDS =
      Set.of("eventId", "source", "type", "time", "value", "attributes");

  private static final String FIELD_LIST = "eventId, source, type, time, value, attributes";
  private static final String TIME_FORMS =
      "must be an RFC 3339 timestamp with offset or epoch milliseconds";

  private final Duration maxFutureSkew;

  EventValidator(Duration maxFutureSkew) {
    this.maxFutureSkew = maxFutureSkew;
  }

  /**
   * Validates one event object.
   *
   * @param node a JSON object
   * @param ingestTime now, stamped as the event's ingest time
   * @param problems receives every problem found
   * @return the event, or null when problems were added
   */
  Event validate(JsonNode node, long ingestTime, List<FieldProblem> problems) {
    int before = problems.size();
    for (String name : node.propertyNames()) {
      if (!FIELDS.contains(name)) {
        problems.add(
            new FieldProblem(
                AttributeRules.abbreviate(name), "unknown field; known fields: " + FIELD_LIST));
      }
    }
    String eventId =
        text(node.get("eventId"), "eventId", EventLimits.MAX_EVENT_ID_LENGTH, false, problems);
    String source =
        text(node.get("source"), "source", EventLimits.MAX_SOURCE_LENGTH, true, problems);
    String type = text(node.get("type"), "type", EventLimits.MAX_TYPE_LENGTH, true, problems);
    Long time = time(node.get("time"), ingestTime, problems);
    Double value = value(node.get("value"), problems);
    Map<String, Object> attributes = attributes(node.get("attributes"), problems);
    if (problems.size() > before) {
      return null;
    }
    Event event = completed(eventId, source, type, time, value, attributes, ingestTime);
    // The topic contract, checked again: ingest must never write what the stages dead-letter.
    for (String violation : EventLimits.violations(event)) {
      int colon = violation.indexOf(": ");
      problems.add(
          colon < 0
              ? new FieldProblem(null, violation)
              : new FieldProblem(violation.substring(0, colon), violation.substring(colon + 2)));
    }
    return problems.size() > before ? null : event;
  }

  /** The event as ingest writes it: a new UUID if it has no id, the ingest time if no time. */
  static Event completed(
      String eventId,
      String source,
      String type,
      Long time,
      Double value,
      Map<String, Object> attributes,
      long ingestTime) {
    return new Event(
        eventId == null ? UUID.randomUUID().toString() : eventId,
        source,
        type,
        time == null ? ingestTime : time,
        value,
        attributes,
        ingestTime);
  }

  private static String text(
      JsonNode node, String field, int maxLength, boolean required, List<FieldProblem> problems) {
    if (node == null || node.isNull()) {
      if (required) {
        problems.add(new FieldProblem(field, "is required"));
      }
      return null;
    }
    if (!node.isString()) {
      problems.add(new FieldProblem(field, "must be a string"));
      return null;
    }
    String text = node.stringValue();
    if (text.isBlank() || text.length() > maxLength) {
      problems.add(
          new FieldProblem(field, "must be 1 to " + maxLength + " characters and not blank"));
      return null;
    }
    return text;
  }

  private Long time(JsonNode node, long now, List<FieldProblem> problems) {
    if (node == null || node.isNull()) {
      return null;
    }
    long millis;
    if (node.isIntegralNumber() && node.canConvertToLong()) {
      millis = node.longValue();
    } else if (node.isIntegralNumber()) {
      problems.add(new FieldProblem("time", "is out of range"));
      return null;
    } else if (node.isString()) {
      try {
        millis = EpochMillisDeserializer.parse(node.stringValue());
      } catch (IllegalArgumentException e) {
        problems.add(new FieldProblem("time", TIME_FORMS));
        return null;
      }
    } else {
      problems.add(new FieldProblem("time", TIME_FORMS));
      return null;
    }
    if (millis < 0) {
      problems.add(new FieldProblem("time", "is before 1970-01-01T00:00:00Z"));
      return null;
    }
    if (millis - now > maxFutureSkew.toMillis()) {
      problems.add(
          new FieldProblem(
              "time", "is more than " + maxFutureSkew + " ahead of the server's clock"));
      return null;
    }
    return millis;
  }

  private static Double value(JsonNode node, List<FieldProblem> problems) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isNumber()) {
      problems.add(new FieldProblem("value", "must be a number"));
      return null;
    }
    double value = node.doubleValue();
    if (!Double.isFinite(value)) {
      problems.add(new FieldProblem("value", "must be a finite number"));
      return null;
    }
    return value;
  }

  private static Map<String, Object> attributes(JsonNode node, List<FieldProblem> problems) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isObject()) {
      problems.add(new FieldProblem("attributes", "must be an object"));
      return null;
    }
    List<FieldProblem> found = new ArrayList<>();
    Map<String, Object> attributes = AttributeRules.read(node, "attributes.", found);
    problems.addAll(found);
    return found.isEmpty() ? attributes : null;
  }
}
