package io.streamdown.enrich.streams;

import static io.streamdown.enrich.streams.EnrichDriver.event;
import static org.assertj.core.api.Assertions.assertThat;

import io.streamdown.enrich.config.EnrichSettings;
import io.streamdown.schemas.EnrichedEvent;
import io.streamdown.schemas.Event;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An event that finds no reference data waits for it ({@code streamdown.enrich.reference-wait}):
 * a reference the stage processes meanwhile, valid at the event's ingest time, joins it; when the
 * wait is up it goes on unmatched; an event with reference data never waits.
 */
class EnrichTopologyReferenceWaitTest {

  private static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");
  private static final Duration WAIT = Duration.ofSeconds(2);
  private static final Map<String, Object> BERLIN = Map.of("region", "eu", "site", "berlin");

  @TempDir Path stateDir;
  private EnrichDriver enrich;

  @BeforeEach
  void start() {
    enrich = new EnrichDriver(stateDir, EnrichSettings.defaults().withReferenceWait(WAIT));
  }

  @AfterEach
  void stop() {
    enrich.close();
  }

  @Test
  void aReferenceProcessedAfterTheEventJoinsItAtOnce() {
    // Stamped after the upsert, processed before it: the order a late fetch of the reference
    // partition gives.
    Event event = event("e-1", "dev-1", T0, T0.plusSeconds(1));
    enrich.ingest(event);
    assertThat(enrich.enrichedSoFar()).isEmpty();
    assertThat(enrich.listener.held).isEqualTo(1);

    enrich.upsert("dev-1", BERLIN, T0);

    List<TestRecord<String, EnrichedEvent>> out = enrich.enrichedSoFar();
    assertThat(out).hasSize(1);
    assertThat(out.get(0).value()).isEqualTo(new EnrichedEvent(event, BERLIN));
    assertThat(out.get(0).key()).isEqualTo("dev-1");
    assertThat(out.get(0).getRecordTime()).isEqualTo(T0.plusSeconds(1));
    assertThat(enrich.listener.matched).isEqualTo(1);
    assertThat(enrich.listener.unmatched).isZero();
  }

  @Test
  void withoutAReferenceTheEventGoesOnUnmatchedWhenTheWaitIsUp() {
    Event event = event("e-1", "dev-1", T0, T0.plusSeconds(1));
    enrich.ingest(event);

    enrich.driver.advanceWallClockTime(WAIT.minusMillis(300));
    assertThat(enrich.enrichedSoFar()).isEmpty();
    enrich.driver.advanceWallClockTime(Duration.ofMillis(300));

    List<TestRecord<String, EnrichedEvent>> out = enrich.enrichedSoFar();
    assertThat(out).extracting(TestRecord::value).containsExactly(new EnrichedEvent(event, null));
    assertThat(out.get(0).getRecordTime()).isEqualTo(T0.plusSeconds(1));
    assertThat(enrich.listener.unmatched).isEqualTo(1);
    // It went once: later checks find nothing waiting.
    enrich.driver.advanceWallClockTime(WAIT.multipliedBy(3));
    assertThat(enrich.enrichedSoFar()).isEmpty();
  }

  @Test
  void anUpsertStampedAfterTheEventDoesNotReleaseItMatched() {
    Event event = event("e-1", "dev-1", T0, T0.plusSeconds(1));
    enrich.ingest(event);
    enrich.upsert("dev-1", BERLIN, T0.plusSeconds(2));

    assertGoesOnUnmatchedOnlyAfterTheWait(event);
  }

  @Test
  void aSourcesWaitingEventsGoInTheOrderTheyCameAndOtherSourcesKeepWaiting() {
    Event first = event("e-1", "dev-1", T0, T0.plusSeconds(1));
    Event second = event("e-2", "dev-1", T0, T0.plusSeconds(2));
    Event other = event("e-3", "dev-10", T0, T0.plusSeconds(2));
    enrich.ingest(first);
    enrich.ingest(other);
    enrich.ingest(second);

    enrich.upsert("dev-1", BERLIN, T0);

    assertThat(enrich.enrichedSoFar())
        .extracting(TestRecord::value)
        .containsExactly(new EnrichedEvent(first, BERLIN), new EnrichedEvent(second, BERLIN));
    enrich.driver.advanceWallClockTime(WAIT);
    assertThat(enrich.enrichedSoFar())
        .extracting(TestRecord::value)
        .containsExactly(new EnrichedEvent(other, null));
  }

  @Test
  void anEventWithReferenceDataNeverWaits() {
    enrich.upsert("dev-1", BERLIN, T0);
    enrich.ingest(event("e-1", "dev-1", T0, T0.plusSeconds(1)));

    assertThat(enrich.enrichedSoFar()).hasSize(1);
    assertThat(enrich.listener.held).isZero();
  }

  @Test
  void aDeletionReleasesNothing() {
    Event event = event("e-1", "dev-1", T0, T0.plusSeconds(1));
    enrich.ingest(event);
    enrich.delete("dev-1", T0);

    assertGoesOnUnmatchedOnlyAfterTheWait(event);
  }

  private void assertGoesOnUnmatchedOnlyAfterTheWait(Event event) {
    assertThat(enrich.enrichedSoFar()).isEmpty();
    enrich.driver.advanceWallClockTime(WAIT);
    assertThat(enrich.enrichedSoFar())
        .extracting(TestRecord::value)
        .containsExactly(new EnrichedEvent(event, null));
  }

  @Test
  void withWaitingOffAnEventWithoutReferenceGoesOnAtOnce(@TempDir Path otherStateDir) {
    try (EnrichDriver noWait =
        new EnrichDriver(
            otherStateDir, EnrichSettings.defaults().withReferenceWait(Duration.ZERO))) {
      Event event = event("e-1", "dev-1", T0, T0.plusSeconds(1));
      noWait.ingest(event);

      assertThat(noWait.enrichedSoFar())
          .extracting(TestRecord::value)
          .containsExactly(new EnrichedEvent(event, null));
      assertThat(noWait.listener.held).isZero();
    }
  }
}
