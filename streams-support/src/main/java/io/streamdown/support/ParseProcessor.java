package io.streamdown.support;

import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

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
      context.forward(
          record
              .withValue(Parsed.<T>failed(record.value()))
              .withHeaders(
                  DeadLetterHeaders.of(record.headers(), stage, e, context.recordMetadata())));
      listener.deadLettered(stage, e.getClass().getName());
      return;
    }
    context.forward(record.withValue(Parsed.ok(value)));
  }
}
