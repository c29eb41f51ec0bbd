package io.streamdown.support;

import io.streamdown.schemas.DeadLetters;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Parses each record; a failure keeps the original bytes and gains the dead-letter headers, so
 * the next step can send it to {@code events.dlq} inside the same transaction as the good ones.
 */
final class ParseProcessor<T> implements FixedKeyProcessor<String, byte[], Parsed<T>> {

  private final String stage;
  private final RecordParser<T> parser;
  private final DeadLetterListener listener;
  private FixedKeyProcessorContext<String, Parsed<T>> context;

  ParseProcessor(String stage, RecordParser<T> parser, DeadLetterListener listener) {
    this.stage = stage;
    this.parser = parser;
    this.listener = listener;
  }

  @Override
  public void init(FixedKeyProcessorContext<String, Parsed<T>> context) {
    this.context = context;
  }

  @Override
  public void process(FixedKeyRecord<String, byte[]> record) {
    T value;
    try {
      value = parser.parse(record.key(), record.value());
    } catch (Exception e) {
      RecordMetadata origin = context.recordMetadata().orElse(null);
      String errorClass = e.getClass().getName();
      context.forward(
          record
              .withValue(Parsed.<T>failed(record.value()))
              .withHeaders(
                  DeadLetters.headers(
                      record.headers(),
                      stage,
                      errorClass,
                      e.getMessage(),
                      origin == null ? null : origin.topic(),
                      origin == null ? -1 : origin.partition(),
                      origin == null ? -1L : origin.offset())));
      listener.deadLettered(stage, errorClass);
      return;
    }
    context.forward(record.withValue(Parsed.ok(value)));
  }
}
