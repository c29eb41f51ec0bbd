package io.streamdown.enrich.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamdown.support.MicrometerDeadLetterListener;
import org.junit.jupiter.api.Test;

class MicrometerListenersTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @Test
  void enrichOutcomesAreCountedByOutcome() {
    MicrometerEnrichListener listener = new MicrometerEnrichListener(registry);
    listener.matched();
    listener.matched();
    listener.unmatched();

    assertThat(count("matched")).isEqualTo(2.0);
    assertThat(count("unmatched")).isEqualTo(1.0);
    assertThat(count("duplicate")).isZero();
    listener.duplicate();
    assertThat(count("duplicate")).isEqualTo(1.0);
  }

  @Test
  void heldEventsAreCountedApartFromOutcomesAndExistFromTheStart() {
    MicrometerEnrichListener listener = new MicrometerEnrichListener(registry);
    Counter held = registry.get(MicrometerEnrichListener.HELD).counter();
    assertThat(held.count()).isZero();

    listener.held();
    listener.held();

    assertThat(held.count()).isEqualTo(2.0);
    assertThat(count("matched")).isZero();
    assertThat(count("unmatched")).isZero();
  }

  @Test
  void referenceLookupsAreCountedByWhereTheyWereAnsweredFromTheStart() {
    MicrometerEnrichListener listener = new MicrometerEnrichListener(registry);
    assertThat(lookups("memory").count()).isZero();
    assertThat(lookups("store").count()).isZero();

    listener.referenceFromMemory();
    listener.referenceFromMemory();
    listener.referenceFromStore();

    assertThat(lookups("memory").count()).isEqualTo(2.0);
    assertThat(lookups("store").count()).isEqualTo(1.0);
  }

  @Test
  void deadLettersAreCountedByStageAndError() {
    MicrometerDeadLetterListener listener = new MicrometerDeadLetterListener(registry);
    listener.deadLettered("enrich", "a.B");
    listener.deadLettered("enrich", "a.B");
    listener.deadLettered("enrich", "c.D");

    assertThat(deadLetters("a.B").count()).isEqualTo(2.0);
    assertThat(deadLetters("c.D").count()).isEqualTo(1.0);
  }

  private double count(String outcome) {
    return registry
        .get(MicrometerEnrichListener.METER)
        .tag("outcome", outcome)
        .counter()
        .count();
  }

  private Counter lookups(String answered) {
    return registry.get(MicrometerEnrichListener.LOOKUPS).tag("answered", answered).counter();
  }

  private Counter deadLetters(String error) {
    return registry
        .get(MicrometerDeadLetterListener.METER)
        .tag("stage", "enrich")
        .tag("error", error)
        .counter();
  }
}
