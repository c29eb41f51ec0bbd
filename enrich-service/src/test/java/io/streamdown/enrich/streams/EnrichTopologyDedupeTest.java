package io.streamdown.enrich.streams;

import static io.streamdown.enrich.streams.EnrichDriver.event;
import static org.assertj.core.api.Assertions.assertThat;

import io.streamdown.enrich.config.EnrichSettings;
import io.streamdown.schemas.EnrichedEvent;
import io.streamdown.schemas.Event;
import io.streamdown.schemas.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** De-duplication by source and event id within the horizon, and completion of foreign events. */
class EnrichTopologyDedupeTest {

  private static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");
  private static final Duration HORIZON = Duration.ofMinutes(15);

  @TempDir Path stateDir;
  private EnrichDriver enrich;

  @BeforeEach
  void start() {
    enrich = new EnrichDriver(stateDir, settings());
  }

  /** The settings under test: the defaults, with the Bloom filters in front of the store. */
  EnrichSettings settings() {
    return EnrichSettings.defaults();
  }

  @AfterEach
  void stop() {
    enrich.close();
  }

  @Test
  void sameIdWithinTheHorizonIsForwardedOnceAndRemembered() {
    Event first = event("e-1", "dev-1", T0, T0);
    enrich.ingest(first);
    enrich.ingest(event("e-1", "dev-1", T0, T0.plus(HORIZON).minusMillis(1)));

    assertThat(enrich.enrichedEvents()).extracting(EnrichedEvent::event).containsExactly(first);
    assertThat(enrich.listener.duplicates).isEqualTo(1);
    assertThat(enrich.listener.unmatched).isEqualTo(1);
    assertThat(seen("dev-1", "e-1"))
        .containsExactly(KeyValue.pair(T0.toEpochMilli(), T0.toEpochMilli()));
  }

  @Test
  void duplicateIngestedEarlierButProcessedLaterIsDropped() {
    enrich.ingest(event("e-1", "dev-1", T0, T0.plusSeconds(600)));
    enrich.ingest(event("e-1", "dev-1", T0, T0.plusSeconds(60)));

    assertThat(enrich.enrichedEvents()).hasSize(1);
    assertThat(enrich.listener.duplicates).isEqualTo(1);
  }

  @Test
  void sameIdAfterTheHorizonPassesAgain() {
    Instant later = T0.plus(HORIZON).plusMillis(1);
    enrich.ingest(event("e-1", "dev-1", T0, T0));
    enrich.ingest(event("e-1", "dev-1", T0, later));

    assertThat(enrich.enrichedRecords())
        .extracting(TestRecord::getRecordTime)
        .containsExactly(T0, later);
    assertThat(enrich.listener.duplicates).isZero();
    // Both were passed on, each is remembered in the bucket of its own time.
    assertThat(seen("dev-1", "e-1"))
        .containsExactly(
            KeyValue.pair(T0.toEpochMilli(), T0.toEpochMilli()),
            KeyValue.pair(T0.plus(HORIZON).toEpochMilli(), later.toEpochMilli()));
  }

  @Test
  void duplicateInTheNextBucketIsDroppedUpToExactlyTheHorizon() {
    Instant first = T0.plus(HORIZON).minusSeconds(60); // late in its bucket
    enrich.ingest(event("e-1", "dev-1", T0, first));
    enrich.ingest(event("e-1", "dev-1", T0, first.plusSeconds(120))); // the next bucket
    enrich.ingest(event("e-1", "dev-1", T0, first.plus(HORIZON)));
    Instant justAfter = first.plus(HORIZON).plusMillis(1);
    enrich.ingest(event("e-1", "dev-1", T0, justAfter));

    assertThat(enrich.enrichedRecords())
        .extracting(TestRecord::getRecordTime)
        .containsExactly(first, justAfter);
    assertThat(enrich.listener.duplicates).isEqualTo(2);
  }

  @Test
  void duplicateIngestedInTheBucketBeforeButProcessedLaterIsDropped() {
    Instant first = T0.plus(HORIZON).plusSeconds(60); // early in the second bucket
    enrich.ingest(event("e-1", "dev-1", T0, first));
    enrich.ingest(event("e-1", "dev-1", T0, first.minusSeconds(120))); // the bucket before
    enrich.ingest(event("e-1", "dev-1", T0, first.minus(HORIZON).minusMillis(1)));

    assertThat(enrich.enrichedRecords())
        .extracting(TestRecord::getRecordTime)
        .containsExactly(first, first.minus(HORIZON).minusMillis(1));
    assertThat(enrich.listener.duplicates).isEqualTo(1);
  }

  @Test
  void idsRememberedBeforeTheBucketsStillDropTheirRetries() {
    // As a version before the buckets left it: each id at its own timestamp, in two segments
    // (of half a horizon each), both within its retention.
    Instant early = T0.plusSeconds(180);
    Instant late = early.plus(Duration.ofMinutes(12));
    enrich.legacyDedupeStore().put(Deduplication.key("dev-1", "e-1"), millis(early), millis(early));
    enrich.legacyDedupeStore().put(Deduplication.key("dev-1", "e-2"), millis(late), millis(late));

    enrich.ingest(event("e-1", "dev-1", T0, early.plusSeconds(120)));
    enrich.ingest(event("e-3", "dev-1", T0, early.plusSeconds(120)));
    // Within the horizon of the newest legacy entry, which a bound taken from the oldest misses.
    enrich.ingest(event("e-2", "dev-1", T0, late.plus(Duration.ofMinutes(12))));
    enrich.ingest(event("e-1", "dev-1", T0, early.plus(HORIZON).plusMillis(1)));

    assertThat(enrich.enrichedEvents())
        .extracting(enriched -> enriched.event().eventId())
        .containsExactly("e-3", "e-1");
    assertThat(enrich.listener.duplicates).isEqualTo(2);
    // The legacy store is only read: what passed is remembered in the buckets.
    assertThat(seen("dev-1", "e-3")).hasSize(1);
    try (var legacy = enrich.legacyDedupeStore().all()) {
      assertThat(legacy).toIterable().hasSize(2);
    }
  }

  @Test
  void sameIdFromAnotherSourceIsADifferentEvent() {
    enrich.ingest(event("e-1", "dev-1", T0, T0));
    enrich.ingest(event("e-1", "dev-2", T0, T0.plusSeconds(1)));

    assertThat(enrich.enrichedEvents())
        .extracting(enriched -> enriched.event().source())
        .containsExactly("dev-1", "dev-2");
    assertThat(enrich.listener.duplicates).isZero();
    assertThat(seen("dev-1", "e-1")).hasSize(1);
    assertThat(seen("dev-2", "e-1")).hasSize(1);
  }

  @Test
  void foreignEventWithoutIdAndTimesIsCompletedFromTheRecord() {
    byte[] bare = "{\"source\":\"dev-1\",\"type\":\"tick\"}".getBytes(StandardCharsets.UTF_8);
    enrich.raw.pipeInput("dev-1", bare, T0);
    // Identical bytes are a second event, not a duplicate of the first.
    enrich.raw.pipeInput("dev-1", bare, T0.plusSeconds(1));

    List<Event> events = enrich.enrichedEvents().stream().map(EnrichedEvent::event).toList();
    assertThat(events).hasSize(2);
    Event first = events.get(0);
    assertThat(first.ingestTime()).isEqualTo(T0.toEpochMilli());
    assertThat(first.time()).isEqualTo(T0.toEpochMilli());
    assertThat(UUID.fromString(first.eventId())).isNotNull();
    assertThat(events.get(1).eventId()).isNotEqualTo(first.eventId());
    assertThat(events.get(1).ingestTime()).isEqualTo(T0.plusSeconds(1).toEpochMilli());
    assertThat(enrich.listener.duplicates).isZero();
  }

  @Test
  void derivedIdIsTheSameWhenTheRecordIsProcessedAgain(@TempDir Path replayStateDir) {
    byte[] bare =
        "{\"source\":\"dev-1\",\"type\":\"tick\",\"time\":\"2025-03-01T11:59:00Z\"}"
            .getBytes(StandardCharsets.UTF_8);
    enrich.raw.pipeInput("dev-1", bare, T0);
    Event original = enrich.enrichedEvents().get(0).event();

    try (EnrichDriver replay = new EnrichDriver(replayStateDir)) {
      replay.raw.pipeInput("dev-1", bare, T0);
      Event replayed = replay.enrichedEvents().get(0).event();
      assertThat(replayed).isEqualTo(original);
    }
    assertThat(original.time()).isEqualTo(T0.minusSeconds(60).toEpochMilli());
  }

  @Test
  void ingestStampedFieldsAreKeptAsWritten() {
    Event stamped = event("e-1", "dev-1", T0.minusSeconds(5), T0.minusSeconds(1));
    // A foreign producer's record timestamp differs from the event's ingestTime: the field wins.
    enrich.raw.pipeInput("dev-1", Json.write(stamped), T0);

    assertThat(enrich.enrichedEvents()).extracting(EnrichedEvent::event).containsExactly(stamped);
  }

  private static long millis(Instant instant) {
    return instant.toEpochMilli();
  }

  /** The (window start, value) entries of the dedupe store for an event, around T0. */
  private List<KeyValue<Long, Long>> seen(String source, String eventId) {
    String key = Deduplication.key(source, eventId);
    Instant from = T0.minus(HORIZON);
    Instant to = T0.plus(HORIZON.multipliedBy(2));
    try (WindowStoreIterator<Long> entries = enrich.dedupeStore().fetch(key, from, to)) {
      List<KeyValue<Long, Long>> all = new ArrayList<>();
      entries.forEachRemaining(all::add);
      return all;
    }
  }
}
