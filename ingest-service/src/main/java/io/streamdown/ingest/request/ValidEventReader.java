package io.streamdown.ingest.request;

import io.streamdown.schemas.EpochMillisDeserializer;
import io.streamdown.schemas.Event;
import io.streamdown.schemas.EventLimits;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads an event that is valid as it stands straight from the parser's tokens, without the JSON
 * tree that {@link EventValidator} walks: building and walking that tree was a quarter of ingest's
 * CPU per event in batches.
 *
 * <p>It only takes the plain case. Anything else (an unknown field, a value of another type, a
 * null attribute, an integer beyond a long, a blank or too long string, a time out of range, a
 * duplicate field, which the strict parser refuses, or any other rule of {@link EventLimits}) makes
 * it give up and return null; the event is then read again by {@link EventValidator}, which says
 * exactly what is wrong. So every event this reader returns is the one {@link EventValidator}
 * returns for the same JSON ({@code ValidEventReaderTest} holds them to that), and every refusal
 * comes from {@link EventValidator}.
 */
final class ValidEventReader {

  private static final Set<String> OPTIONAL_FIELDS =
      Set.of("eventId", "time", "value", "attributes");

  /** Thrown, without a stack trace, where an event is not plainly valid; caught by {@code read}. */
  private static final class NotPlain extends RuntimeException {
    NotPlain() {
      super(null, null, false, false);
    }
  }

  private static final NotPlain NOT_PLAIN = new NotPlain();

  private final long maxFutureSkewMillis;

  ValidEventReader(Duration maxFutureSkew) {
    this.maxFutureSkewMillis = maxFutureSkew.toMillis();
  }

  /**
   * Reads one event object.
   *
   * @param strict the strict mapper (duplicate detection on), see {@link RequestJson}
   * @param body the request body
   * @param offset where the event's JSON starts in the body
   * @param length its length in bytes
   * @param ingestTime now, stamped as the event's ingest time
   * @return the event, or null when it is not plainly valid (or not well-formed)
   */
  Event read(JsonMapper strict, byte[] body, int offset, int length, long ingestTime) {
    try (JsonParser parser = strict.createParser(body, offset, length)) {
      Event event = readObject(parser, ingestTime);
      return EventLimits.violations(event).isEmpty() ? event : null;
    } catch (NotPlain | JacksonException e) {
      return null;
    }
  }

  private Event readObject(JsonParser parser, long ingestTime) {
    expect(parser.nextToken() == JsonToken.START_OBJECT);
    String eventId = null;
    String source = null;
    String type = null;
    Long time = null;
    Double value = null;
    Map<String, Object> attributes = null;
    JsonToken token;
    while ((token = parser.nextToken()) == JsonToken.PROPERTY_NAME) {
      String name = parser.currentName();
      JsonToken valueToken = parser.nextToken();
      if (valueToken == JsonToken.VALUE_NULL && OPTIONAL_FIELDS.contains(name)) {
        continue; // an explicit null of an optional field counts as absent, as in EventValidator
      }
      switch (name) {
        case "eventId" -> eventId = text(parser, valueToken, EventLimits.MAX_EVENT_ID_LENGTH);
        case "source" -> source = text(parser, valueToken, EventLimits.MAX_SOURCE_LENGTH);
        case "type" -> type = text(parser, valueToken, EventLimits.MAX_TYPE_LENGTH);
        case "time" -> time = time(parser, valueToken, ingestTime);
        case "value" -> value = value(parser, valueToken);
        case "attributes" -> attributes = attributes(parser, valueToken);
        default -> throw NOT_PLAIN;
      }
    }
    expect(token == JsonToken.END_OBJECT && parser.nextToken() == null);
    expect(source != null && type != null);
    return EventValidator.completed(eventId, source, type, time, value, attributes, ingestTime);
  }

  private static void expect(boolean plain) {
    if (!plain) {
      throw NOT_PLAIN;
    }
  }

  private static String text(JsonParser parser, JsonToken token, int maxLength) {
    expect(token == JsonToken.VALUE_STRING);
    String text = parser.getString();
    expect(!text.isBlank() && text.length() <= maxLength);
    return text;
  }

  private long time(JsonParser parser, JsonToken token, long now) {
    long millis;
    if (token == JsonToken.VALUE_NUMBER_INT && fitsLong(parser)) {
      millis = parser.getLongValue();
    } else {
      expect(token == JsonToken.VALUE_STRING);
      try {
        millis = EpochMillisDeserializer.parse(parser.getString());
      } catch (IllegalArgumentException e) {
        throw NOT_PLAIN;
      }
    }
    expect(millis >= 0 && millis - now <= maxFutureSkewMillis);
    return millis;
  }

  private static double value(JsonParser parser, JsonToken token) {
    expect(token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT);
    return finite(parser.getDoubleValue());
  }

  /** The attributes in their order, each one as {@link AttributeRules} reads it. */
  private static Map<String, Object> attributes(JsonParser parser, JsonToken token) {
    expect(token == JsonToken.START_OBJECT);
    Map<String, Object> attributes = new LinkedHashMap<>();
    JsonToken next;
    while ((next = parser.nextToken()) == JsonToken.PROPERTY_NAME) {
      String name = parser.currentName();
      expect(
          !name.isEmpty()
              && name.length() <= EventLimits.MAX_ATTRIBUTE_NAME_LENGTH
              && attributes.size() < EventLimits.MAX_ATTRIBUTES);
      attributes.put(name, attribute(parser, parser.nextToken()));
    }
    expect(next == JsonToken.END_OBJECT);
    return attributes;
  }

  private static Object attribute(JsonParser parser, JsonToken token) {
    switch (token) {
      case VALUE_STRING -> {
        String text = parser.getString();
        expect(text.length() <= EventLimits.MAX_ATTRIBUTE_STRING_LENGTH);
        return text;
      }
      case VALUE_TRUE -> {
        return Boolean.TRUE;
      }
      case VALUE_FALSE -> {
        return Boolean.FALSE;
      }
      case VALUE_NUMBER_INT -> {
        // AttributeRules keeps an integer beyond a long as a BigInteger: left to it.
        expect(fitsLong(parser));
        return parser.getLongValue();
      }
      case VALUE_NUMBER_FLOAT -> {
        return finite(parser.getDoubleValue());
      }
      default -> throw NOT_PLAIN;
    }
  }

  private static double finite(double number) {
    expect(Double.isFinite(number));
    return number;
  }

  private static boolean fitsLong(JsonParser parser) {
    JsonParser.NumberType type = parser.getNumberType();
    return type == JsonParser.NumberType.INT || type == JsonParser.NumberType.LONG;
  }
}
