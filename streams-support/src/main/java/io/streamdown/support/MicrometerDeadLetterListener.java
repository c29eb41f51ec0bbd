package io.streamdown.support;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Counts dead letters as {@code streamdown.dlq.records{stage,error}}. The {@code error} tag is the
 * exception class name, exactly as in the dead letter's error-class header, so a spike on a
 * dashboard leads straight to the matching records on the dead-letter topic. Its cardinality is
 * bounded by the exception types the parsers can throw.
 */
public final class MicrometerDeadLetterListener implements DeadLetterListener {

  public static final String METER = "streamdown.dlq.records";

  private final MeterRegistry registry;

  public MicrometerDeadLetterListener(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void deadLettered(String stage, String errorClass) {
    Counter.builder(METER)
        .description("Records sent to the dead-letter topic, by stage and error")
        .tag("stage", stage)
        .tag("error", errorClass)
        .register(registry)
        .increment();
  }
}
