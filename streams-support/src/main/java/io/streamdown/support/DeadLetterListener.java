package io.streamdown.support;

/** Told of every record a stage sends to the dead-letter topic (metrics hang off this). */
@FunctionalInterface
public interface DeadLetterListener {

  DeadLetterListener NONE = (stage, errorClass) -> {};

  void deadLettered(String stage, String errorClass);
}
