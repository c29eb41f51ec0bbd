package io.streamdown.schemas;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one JSON mapper of the topic formats. Reading is lenient about unknown properties, so a
 * newer writer never breaks an older reader (schema evolution); strictness towards people is the
 * HTTP layer's job.
 */
public final class Json {

  public static final JsonMapper MAPPER =
      JsonMapper.builder()
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .build();

  private Json() {}

  public static byte[] write(Object value) {
    return MAPPER.writeValueAsBytes(value);
  }

  /**
   * Reads a value.
   *
   * @throws JacksonException when the bytes are not valid JSON of that type
   */
  public static <T> T read(byte[] bytes, Class<T> type) {
    return MAPPER.readValue(bytes, type);
  }
}
