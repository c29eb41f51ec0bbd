package io.streamdown.bench.camel;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.component.kafka.KafkaConstants;

/**
 * Makes the posted event's {@code source} the record key, so the peer's records land on partitions
 * as ingest's do. One streaming pass over the body with Jackson's parser (already on the classpath
 * through camel-kafka): cheaper than binding the event, and it still rejects a body that is not one
 * well-formed JSON object.
 */
final class SourceKey implements Processor {

  /** A body that is not one JSON object with a non-blank string {@code source}. */
  static final class InvalidEventException extends Exception {
    InvalidEventException(String message) {
      super(message);
    }
  }

  private static final JsonFactory JSON = new JsonFactory();

  @Override
  public void process(Exchange exchange) throws InvalidEventException {
    Message message = exchange.getMessage();
    String body = message.getBody(String.class);
    message.setHeader(KafkaConstants.KEY, source(body));
    message.setBody(body);
  }

  static String source(String body) throws InvalidEventException {
    if (body == null || body.isBlank()) {
      throw new InvalidEventException("empty body");
    }
    try (JsonParser parser = JSON.createParser(body)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new InvalidEventException("not a JSON object");
      }
      String source = null;
      JsonToken token;
      while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        JsonToken value = parser.nextToken();
        if (value == JsonToken.VALUE_STRING && field.equals("source")) {
          source = parser.getText();
        } else {
          parser.skipChildren();
        }
      }
      if (token != JsonToken.END_OBJECT || parser.nextToken() != null) {
        throw new InvalidEventException("not exactly one JSON object");
      }
      if (source == null || source.isBlank()) {
        throw new InvalidEventException("no string field source");
      }
      return source;
    } catch (IOException e) {
      throw new InvalidEventException("malformed JSON: " + e.getMessage());
    }
  }
}
