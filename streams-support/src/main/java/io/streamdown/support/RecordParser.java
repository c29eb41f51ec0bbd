package io.streamdown.support;

/**
 * Turns the raw bytes of an input record into a value. Whatever it throws makes the record a
 * dead letter, with the exception's class and message in the headers.
 */
@FunctionalInterface
public interface RecordParser<T> {

  T parse(String key, byte[] value) throws Exception;
}
