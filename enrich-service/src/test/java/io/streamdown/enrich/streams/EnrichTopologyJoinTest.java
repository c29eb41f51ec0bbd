package io.streamdown.enrich.streams;

import static io.streamdown.enrich.streams.EnrichDriver.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.streamdown.enrich.config.EnrichSettings;
import io.streamdown.schemas.EnrichedEvent;
import io.streamdown.schemas.Event;
import io.streamdown.schemas.Reference;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.state.VersionedRecord;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The join with the reference table, and its time semantics (reference as of ingest time). */
class EnrichTopologyJoinTest {

  private static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");
  private static final Map<String, Object> BERLIN = Map.of("region", "eu", "site", "berlin");
  private static final Map<String, Object> OSLO = Map.of("region", "nordics", "site", "oslo");

  @TempDir Path stateDir;
  private EnrichDriver enrich;

  @BeforeEach
  void start() {
    enrich = new EnrichDriver(stateDir);
  }

  @AfterEach
  void stop() {
    enrich.close();
  }

  @Test
  void eventOfSourceWithReferenceIsEnrichedWithItsAttributes() {
    enrich.upsert("dev-1", BERLIN, T0);
    Event event = event("e-1", "dev-1", T0.plusSeconds(5), T0.plusSeconds(10));
    enrich.ingest(event);

    List<TestRecord<String, EnrichedEvent>> out = enrich.enrichedRecords();
    assertThat(out).hasSize(1);
    assertThat(out.get(0).key()).isEqualTo("dev-1");
    assertThat(out.get(0).value()).isEqualTo(new EnrichedEvent(event, BERLIN));
    // The record keeps the ingest time; downstream windows use the event's own time.
    assertThat(out.get(0).getRecordTime()).isEqualTo(T0.plusSeconds(10));
    assertThat(enrich.listener.matched).isEqualTo(1);
    assertThat(enrich.listener.unmatched).isZero();
    assertThat(enrich.referenceStore().get("dev-1").value())
        .isEqualTo(new Reference("dev-1", BERLIN, T0.toEpochMilli()));
  }

  @Test
  void eventOfSourceWithoutReferenceIsForwardedUnmatched() {
    enrich.upsert("dev-1", BERLIN, T0);
    Event event = event("e-1", "dev-2", T0, T0.plusSeconds(1));
    enrich.ingest(event);

    assertThat(enrich.enrichedEvents()).containsExactly(new EnrichedEvent(event, null));
    assertThat(enrich.listener.unmatched).isEqualTo(1);
    assertThat(enrich.listener.matched).isZero();
    assertThat(enrich.referenceStore().get("dev-2")).isNull();
  }

  @Test
  void tombstoneUnEnrichesLaterEventsButNotEarlierOnes() {
    enrich.upsert("dev-1", BERLIN, T0);
    enrich.ingest(event("e-1", "dev-1", T0, T0.plusSeconds(60)));
    enrich.delete("dev-1", T0.plusSeconds(120));
    enrich.ingest(event("e-2", "dev-1", T0, T0.plusSeconds(180)));
    // Ingested while the reference still existed, processed after the delete.
    enrich.ingest(event("e-3", "dev-1", T0, T0.plusSeconds(90)));

    // e-2 finds no reference and waits for one before it goes on, after e-3.
    assertThat(enrich.enrichedEvents())
        .extracting(enriched -> enriched.event().eventId(), EnrichedEvent::reference)
        .containsExactly(
            tuple("e-1", BERLIN),
            tuple("e-3", BERLIN),
            tuple("e-2", null));
    assertThat(enrich.referenceStore().get("dev-1")).isNull();
    assertThat(enrich.listener.matched).isEqualTo(2);
    assertThat(enrich.listener.unmatched).isEqualTo(1);
  }

  @Test
  void eventIngestedAfterUpsertJoinsEvenWhenItsOwnTimeIsFarInThePast() {
    enrich.upsert("dev-1", BERLIN, T0);
    Event backfilled = event("old", "dev-1", T0.minus(Duration.ofDays(30)), T0.plusSeconds(1));
    enrich.ingest(backfilled);

    EnrichedEvent out = enrich.enrichedEvents().get(0);
    assertThat(out.reference()).isEqualTo(BERLIN);
    assertThat(out.event().time()).isEqualTo(T0.minus(Duration.ofDays(30)).toEpochMilli());
  }

  @Test
  void eventIngestedBeforeUpsertStaysUnmatchedEvenWhenItsOwnTimeIsLater() {
    Event early = event("early", "dev-1", T0.plus(Duration.ofHours(1)), T0);
    enrich.ingest(early);
    enrich.upsert("dev-1", BERLIN, T0.plusSeconds(60));
    enrich.ingest(event("late", "dev-1", T0, T0.plusSeconds(61)));

    // The upsert does not release "early": the version it finds at its ingest time is none.
    assertThat(enrich.enrichedEvents())
        .containsExactly(
            new EnrichedEvent(event("late", "dev-1", T0, T0.plusSeconds(61)), BERLIN),
            new EnrichedEvent(early, null));
  }

  @Test
  void eventIngestedBeforeUpsertStaysUnmatchedEvenWhenTheUpsertIsProcessedFirst() {
    // The upsert reaches the stage first, but the event was ingested (stamped) before it.
    enrich.upsert("dev-1", BERLIN, T0.plusSeconds(300));
    Event early = event("early", "dev-1", T0.plusSeconds(600), T0.plusSeconds(60));
    enrich.ingest(early);

    assertThat(enrich.enrichedEvents()).containsExactly(new EnrichedEvent(early, null));
    assertThat(enrich.listener.unmatched).isEqualTo(1);
  }

  @Test
  void eventGetsTheReferenceVersionOfItsIngestTime() {
    enrich.upsert("dev-1", BERLIN, T0);
    enrich.upsert("dev-1", OSLO, T0.plusSeconds(600));
    enrich.ingest(event("between", "dev-1", T0, T0.plusSeconds(300)));
    enrich.ingest(event("after", "dev-1", T0, T0.plusSeconds(900)));

    assertThat(enrich.enrichedEvents())
        .extracting(EnrichedEvent::reference)
        .containsExactly(BERLIN, OSLO);
    VersionedRecord<Reference> asOfBetween =
        enrich.referenceStore().get("dev-1", T0.plusSeconds(300).toEpochMilli());
    assertThat(asOfBetween.value().attributes()).isEqualTo(BERLIN);
    assertThat(asOfBetween.timestamp()).isEqualTo(T0.toEpochMilli());
    assertThat(enrich.referenceStore().get("dev-1").value().attributes()).isEqualTo(OSLO);
  }

  @Test
  void eventOlderThanTheHistoryFindsNoSupersededVersion(@TempDir Path otherStateDir) {
    EnrichSettings settings = new EnrichSettings(
            Duration.ofMinutes(15),
            Duration.ofHours(1),
            EnrichSettings.DEFAULT_DEDUPE_FILTER_MEMORY,
            EnrichSettings.DEFAULT_REFERENCE_WAIT,
            EnrichSettings.DEFAULT_REFERENCE_CACHE);
    try (EnrichDriver shortHistory = new EnrichDriver(otherStateDir, settings)) {
      shortHistory.upsert("dev-1", BERLIN, T0);
      shortHistory.upsert("dev-2", BERLIN, T0);
      shortHistory.upsert("dev-1", OSLO, T0.plus(Duration.ofHours(2)));
      // Both need the version of T0: kept for dev-2 (still the latest), expired for dev-1 at
      // T0+30m (superseded more than the history ago), still kept for dev-1 at T0+90m.
      shortHistory.ingest(event("expired", "dev-1", T0, T0.plus(Duration.ofMinutes(30))));
      shortHistory.ingest(event("kept", "dev-1", T0, T0.plus(Duration.ofMinutes(90))));
      shortHistory.ingest(event("latest", "dev-2", T0, T0.plus(Duration.ofMinutes(30))));

      assertThat(shortHistory.enrichedEvents())
          .extracting(enriched -> enriched.event().eventId(), EnrichedEvent::reference)
          .containsExactly(tuple("kept", BERLIN), tuple("latest", BERLIN), tuple("expired", null));
    }
  }
}
