package io.streamdown.schemas;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.ValueDeserializer;

/**
 * Reads a point in time given either as epoch millis (a JSON integer or a string of digits) or
 * as an RFC 3339 timestamp with offset, the two forms the public contract allows.
 */
public final class EpochMillisDeserializer extends ValueDeserializer<Long> {

  @Override
  public Long deserialize(JsonParser parser, DeserializationContext context) {
    JsonToken token = parser.currentToken();
    if (token == JsonToken.VALUE_NUMBER_INT) {
      return parser.getLongValue();
    }
    if (token == JsonToken.VALUE_STRING) {
      try {
        return parse(parser.getString());
      } catch (IllegalArgumentException e) {
        return (Long) context.handleWeirdStringValue(Long.class, parser.getString(), e.getMessage());
      }
    }
    return (Long) context.handleUnexpectedToken(Long.class, parser);
  }

  /**
   * Parses epoch millis or RFC 3339.
   *
   * @throws IllegalArgumentException when the text is neither
   */
  public static long parse(String text) {
    String trimmed = text.trim();
    if (!trimmed.isEmpty() && trimmed.chars().allMatch(Character::isDigit)) {
      try {
        return Long.parseLong(trimmed);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("epoch millis out of range: " + trimmed);
      }
    }
    try {
      return OffsetDateTime.parse(trimmed).toInstant().toEpochMilli();
    } catch (DateTimeParseException | ArithmeticException e) {
      throw new IllegalArgumentException(
          "not an RFC 3339 timestamp with offset nor epoch millis: " + trimmed);
    }
  }
}
