package io.streamdown.enrich.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.streamdown.enrich.streams.EnrichListener;

/**
 * Counts enrich outcomes as {@code streamdown.enrich.events{outcome=matched|unmatched|duplicate}},
 * and as {@code streamdown.enrich.held.events} the events that waited for their source's reference
 * data before they went on (each is also counted once as matched or unmatched when it goes).
 * As {@code streamdown.enrich.reference.lookups{answered=memory|store}} it counts where each
 * event's reference version was found: the share answered from memory tells whether {@code
 * streamdown.enrich.reference-cache} keeps enough sources for the traffic. Every counter is
 * registered up front so that every series exists (at zero) from start-up, which keeps rate
 * queries and alerts on them well defined.
 */
public final class MicrometerEnrichListener implements EnrichListener {

  public static final String METER = "streamdown.enrich.events";
  public static final String HELD = "streamdown.enrich.held.events";
  public static final String LOOKUPS = "streamdown.enrich.reference.lookups";

  private final Counter matched;
  private final Counter unmatched;
  private final Counter duplicate;
  private final Counter held;
  private final Counter fromMemory;
  private final Counter fromStore;

  public MicrometerEnrichListener(MeterRegistry registry) {
    this.matched = counter(registry, "matched");
    this.unmatched = counter(registry, "unmatched");
    this.duplicate = counter(registry, "duplicate");
    this.held =
        Counter.builder(HELD)
            .description("Events that waited for their source's reference data")
            .register(registry);
    this.fromMemory = lookups(registry, "memory");
    this.fromStore = lookups(registry, "store");
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

  @Override
  public void referenceFromMemory() {
    fromMemory.increment();
  }

  @Override
  public void referenceFromStore() {
    fromStore.increment();
  }

  private static Counter lookups(MeterRegistry registry, String answered) {
    return Counter.builder(LOOKUPS)
        .description("Reference lookups of events, by where the version was found")
        .tag("answered", answered)
        .register(registry);
  }

  private static Counter counter(MeterRegistry registry, String outcome) {
    return Counter.builder(METER)
        .description("Events handled by the enrich stage, by outcome")
        .tag("outcome", outcome)
        .register(registry);
  }
}
