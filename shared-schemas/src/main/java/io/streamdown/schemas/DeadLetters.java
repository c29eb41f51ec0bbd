package io.streamdown.schemas;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The headers of a record on {@code events.dlq}. A dead letter keeps the original key and value
 * bytes untouched; these headers say which stage gave up on it, why, and where it came from, so
 * it can be inspected and replayed.
 */
public final class DeadLetters {

  public static final String STAGE = "streamdown.dlq.stage";
  public static final String ERROR_CLASS = "streamdown.dlq.error.class";
  public static final String ERROR_MESSAGE = "streamdown.dlq.error.message";
  public static final String ORIGIN_TOPIC = "streamdown.dlq.origin.topic";
  public static final String ORIGIN_PARTITION = "streamdown.dlq.origin.partition";
  public static final String ORIGIN_OFFSET = "streamdown.dlq.origin.offset";

  /** Error messages are cut to this many characters, so one huge message cannot bloat the DLQ. */
  public static final int MAX_MESSAGE_LENGTH = 2000;

  private DeadLetters() {}

  /**
   * The original record's headers plus the dead-letter headers (replacing earlier ones, should a
   * replayed dead letter fail again).
   */
  public static Headers headers(
      Headers original,
      String stage,
      String errorClass,
      String message,
      String originTopic,
      int originPartition,
      long originOffset) {
    RecordHeaders headers = new RecordHeaders();
    if (original != null) {
      for (Header header : original) {
        if (!header.key().startsWith("streamdown.dlq.")) {
          headers.add(header);
        }
      }
    }
    String text = message == null ? "" : message;
    if (text.length() > MAX_MESSAGE_LENGTH) {
      text = text.substring(0, MAX_MESSAGE_LENGTH);
    }
    headers.add(STAGE, utf8(stage));
    headers.add(ERROR_CLASS, utf8(errorClass));
    headers.add(ERROR_MESSAGE, utf8(text));
    headers.add(ORIGIN_TOPIC, utf8(originTopic == null ? "" : originTopic));
    headers.add(ORIGIN_PARTITION, utf8(Integer.toString(originPartition)));
    headers.add(ORIGIN_OFFSET, utf8(Long.toString(originOffset)));
    return headers;
  }

  /** The text of a header, or null when absent. */
  public static String header(Headers headers, String key) {
    Header header = headers.lastHeader(key);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
