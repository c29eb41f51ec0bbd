package io.streamdown.enrich.streams;

import static io.streamdown.enrich.streams.EnrichDriver.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.streamdown.enrich.config.EnrichSettings;
import io.streamdown.schemas.EnrichedEvent;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The join gives the same answers whether it keeps sources' latest versions in memory or not, and
 * however few it keeps: every change of a source reaches the processor that keeps them.
 */
class EnrichTopologyLatestReferencesTest {

  private static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");
  private static final Map<String, Object> BERLIN = Map.of("site", "berlin");
  private static final Map<String, Object> OSLO = Map.of("site", "oslo");

  @TempDir Path stateDir;

  private EnrichDriver driver(int kept) {
    return new EnrichDriver(stateDir, EnrichSettings.defaults().withReferenceCache(kept));
  }

  private static List<Tuple> joined(EnrichDriver enrich) {
    return enrich.enrichedEvents().stream()
        .map(enriched -> tuple(enriched.event().eventId(), enriched.reference()))
        .toList();
  }

  @ParameterizedTest(name = "{0} kept")
  @ValueSource(ints = {0, 1, EnrichSettings.DEFAULT_REFERENCE_CACHE})
  void theListenerHearsWhichLookupsMemoryAnswered(int kept) {
    try (EnrichDriver enrich = driver(kept)) {
      enrich.upsert("dev-1", BERLIN, T0);
      for (int i = 1; i <= 4; i++) {
        enrich.ingest(event("event-" + i, "dev-1", T0, T0.plusSeconds(i)));
      }

      assertThat(joined(enrich))
          .hasSize(4)
          .allSatisfy(joinedEvent -> assertThat(joinedEvent.toList()).contains(BERLIN));
      int fromMemory = kept == 0 ? 0 : 3; // the first event reads the version it then keeps
      assertThat(enrich.listener.fromMemory).isEqualTo(fromMemory);
      assertThat(enrich.listener.fromStore).isEqualTo(4 - fromMemory);
    }
  }

  @ParameterizedTest(name = "{0} kept")
  @ValueSource(ints = {0, 1, EnrichSettings.DEFAULT_REFERENCE_CACHE})
  void anUpdateAfterAJoinedEventIsWhatTheNextEventGets(int kept) {
    try (EnrichDriver enrich = driver(kept)) {
      enrich.upsert("dev-1", BERLIN, T0);
      enrich.ingest(event("before-update", "dev-1", T0, T0.plusSeconds(10)));
      enrich.upsert("dev-1", OSLO, T0.plusSeconds(20));
      enrich.ingest(event("after-update", "dev-1", T0, T0.plusSeconds(30)));
      // Ingested before the update, processed after it: the version before it.
      enrich.ingest(event("ingested-before", "dev-1", T0, T0.plusSeconds(15)));

      assertThat(joined(enrich))
          .containsExactly(
              tuple("before-update", BERLIN),
              tuple("after-update", OSLO),
              tuple("ingested-before", BERLIN));
    }
  }

  @ParameterizedTest(name = "{0} kept")
  @ValueSource(ints = {0, 1, EnrichSettings.DEFAULT_REFERENCE_CACHE})
  void anUpdateOlderThanTheLatestVersionChangesOnlyTheHistory(int kept) {
    try (EnrichDriver enrich = driver(kept)) {
      enrich.upsert("dev-1", OSLO, T0.plusSeconds(600));
      enrich.ingest(event("latest-1", "dev-1", T0, T0.plusSeconds(900)));
      enrich.upsert("dev-1", BERLIN, T0); // arrives late, stamped before the latest version
      enrich.ingest(event("in-history", "dev-1", T0, T0.plusSeconds(300)));
      enrich.ingest(event("latest-2", "dev-1", T0, T0.plusSeconds(1000)));

      assertThat(joined(enrich))
          .containsExactly(
              tuple("latest-1", OSLO), tuple("in-history", BERLIN), tuple("latest-2", OSLO));
    }
  }

  @ParameterizedTest(name = "{0} kept")
  @ValueSource(ints = {0, 1, EnrichSettings.DEFAULT_REFERENCE_CACHE})
  void aDeletionAfterAJoinedEventLeavesLaterEventsUnmatched(int kept) {
    try (EnrichDriver enrich = driver(kept)) {
      enrich.upsert("dev-1", BERLIN, T0);
      enrich.ingest(event("before-delete", "dev-1", T0, T0.plusSeconds(10)));
      enrich.delete("dev-1", T0.plusSeconds(100));
      enrich.ingest(event("after-delete", "dev-1", T0, T0.plusSeconds(200)));
      enrich.upsert("dev-1", OSLO, T0.plusSeconds(300));
      enrich.ingest(event("after-new-upsert", "dev-1", T0, T0.plusSeconds(400)));

      // "after-delete" waits for a version of its ingest time; the new upsert is later, so it
      // goes on unmatched once its wait is over.
      assertThat(joined(enrich))
          .containsExactly(
              tuple("before-delete", BERLIN),
              tuple("after-new-upsert", OSLO),
              tuple("after-delete", null));
    }
  }

  @ParameterizedTest(name = "{0} kept")
  @ValueSource(ints = {0, 1, 2, EnrichSettings.DEFAULT_REFERENCE_CACHE})
  void moreSourcesThanKeptEachGetTheirOwnVersion(int kept) {
    try (EnrichDriver enrich = driver(kept)) {
      String[] site = new String[5];
      long second = 0;
      for (int s = 0; s < 5; s++) {
        site[s] = "site-" + s;
        enrich.upsert("dev-" + s, Map.of("site", site[s]), T0);
      }
      List<Tuple> expected = new ArrayList<>();
      for (int round = 0; round < 3; round++) {
        for (int s : new int[] {0, 3, 1, 4, 2, 0}) {
          String id = "e-" + round + "-" + s + "-" + second;
          enrich.ingest(event(id, "dev-" + s, T0, T0.plusSeconds(++second)));
          expected.add(tuple(id, Map.of("site", site[s])));
        }
        // Each round moves one source, whether it is kept at the time or not.
        site[round] = "moved-" + round;
        enrich.upsert("dev-" + round, Map.of("site", site[round]), T0.plusSeconds(++second));
      }

      assertThat(joined(enrich)).containsExactlyElementsOf(expected);
    }
  }
}
