package io.streamdown.query.streams;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.streamdown.support.DeadLetterListener;

/** Counts dead letters as {@code streamdown.dlq.records{stage,error}}. */
public final class MicrometerDeadLetterListener implements DeadLetterListener {

  private final MeterRegistry registry;

  public MicrometerDeadLetterListener(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void deadLettered(String stage, String errorClass) {
    Counter.builder("streamdown.dlq.records")
        .description("Records sent to the dead-letter topic")
        .tag("stage", stage)
        .tag("error", errorClass)
        .register(registry)
        .increment();
  }
}
