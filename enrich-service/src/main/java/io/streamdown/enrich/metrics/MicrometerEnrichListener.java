package io.streamdown.enrich.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.streamdown.enrich.streams.EnrichListener;

/**
 * Counts enrich outcomes as {@code streamdown.enrich.events{outcome=matched|unmatched|duplicate}},
 * and as {@code streamdown.enrich.held.events} the events that waited for their source's reference
 * data before they went on (each is also counted once as matched or unmatched when it goes).
 * The three counters are registered up front so that every series exists (at zero) from start-up,
 * which keeps rate queries and alerts on them well defined.
 */
public final class MicrometerEnrichListener implements EnrichListener {

  public static final String METER = "streamdown.enrich.events";
  public static final String HELD = "streamdown.enrich.held.events";

  private final Counter matched;
  private final Counter unmatched;
  private final Counter duplicate;
  private final Counter held;

  public MicrometerEnrichListener(MeterRegistry registry) {
    this.matched = counter(registry, "matched");
    this.unmatched = counter(registry, "unmatched");
    this.duplicate = counter(registry, "duplicate");
    this.held =
        Counter.builder(HELD)
            .description("Events that waited for their source's reference data")
            .register(registry);
  }

  @Override
  public void matched() {
    matched.increment();
  }

  @Override
  public void unmatched() {
    unmatched.increment();
  }

  @Override
  public void duplicate() {
    duplicate.increment();
  }

  @Override
  public void held() {
    held.increment();
  }

  private static Counter counter(MeterRegistry registry, String outcome) {
    return Counter.builder(METER)
        .description("Events handled by the enrich stage, by outcome")
        .tag("outcome", outcome)
        .register(registry);
  }
}
