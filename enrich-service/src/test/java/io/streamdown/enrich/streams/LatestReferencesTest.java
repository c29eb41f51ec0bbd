package io.streamdown.enrich.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamdown.enrich.config.EnrichSettings;
import io.streamdown.schemas.Reference;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.streams.state.VersionedKeyValueStore;
import org.apache.kafka.streams.state.VersionedRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@link LatestReferences} answers from memory and what from the store: against the
 * stage's real versioned store, written behind its back to tell the two apart.
 */
class LatestReferencesTest {

  private static final long T0 = Instant.parse("2025-03-01T12:00:00Z").toEpochMilli();

  @TempDir Path stateDir;
  private EnrichDriver enrich;
  private VersionedKeyValueStore<String, Reference> store;
  private final RecordingEnrichListener lookups = new RecordingEnrichListener();

  @BeforeEach
  void start() {
    enrich = new EnrichDriver(stateDir, EnrichSettings.defaults());
    store = enrich.referenceStore();
    put("dev-1", "berlin", T0);
    put("dev-2", "oslo", T0);
    put("dev-3", "lisbon", T0);
  }

  @AfterEach
  void stop() {
    enrich.close();
  }

  private void put(String source, String site, long at) {
    store.put(source, new Reference(source, Map.of("site", site), at), at);
  }

  private static Object site(VersionedRecord<Reference> version) {
    return version == null ? null : version.value().attributes().get("site");
  }

  @Test
  void keepsTheLatestVersionUntilTheSourceIsForgotten() {
    LatestReferences latest = new LatestReferences(10, lookups);
    assertThat(site(latest.get(store, "dev-1", T0 + 10))).isEqualTo("berlin");

    put("dev-1", "oslo", T0 + 20); // behind its back: only forget tells it
    assertThat(site(latest.get(store, "dev-1", T0 + 30))).isEqualTo("berlin");
    latest.forget("dev-1");
    assertThat(site(latest.get(store, "dev-1", T0 + 30))).isEqualTo("oslo");
    assertThat(site(latest.get(store, "dev-1", T0 + 10))).isEqualTo("berlin"); // the history
  }

  @Test
  void eachLookupIsReportedWhereItWasAnswered() {
    LatestReferences latest = new LatestReferences(10, lookups);
    latest.get(store, "dev-1", T0 + 10); // read to be kept
    latest.get(store, "dev-1", T0 + 20);
    latest.get(store, "dev-1", T0 + 30);
    latest.get(store, "dev-1", T0 - 1); // before the kept version: its history
    latest.get(store, "unknown", T0 + 10); // nothing to keep
    assertThat(lookups.fromMemory).isEqualTo(2);
    assertThat(lookups.fromStore).isEqualTo(3);

    LatestReferences none = new LatestReferences(0, lookups);
    none.get(store, "dev-1", T0 + 10);
    none.get(store, "dev-1", T0 + 20);
    assertThat(lookups.fromMemory).isEqualTo(2);
    assertThat(lookups.fromStore).isEqualTo(5);
  }

  @Test
  void clearedItReadsEverySourceAgain() {
    LatestReferences latest = new LatestReferences(10, lookups);
    latest.get(store, "dev-1", T0 + 10);
    latest.get(store, "dev-2", T0 + 10);
    put("dev-1", "restored", T0 + 20); // as a restore writes it, behind the processor's back

    latest.clear();
    assertThat(latest.size()).isZero();
    assertThat(site(latest.get(store, "dev-1", T0 + 30))).isEqualTo("restored");
  }

  @Test
  void anEventOlderThanTheLatestVersionReadsTheStore() {
    put("dev-1", "oslo", T0 + 100);
    LatestReferences latest = new LatestReferences(10, lookups);
    assertThat(site(latest.get(store, "dev-1", T0 + 200))).isEqualTo("oslo");
    assertThat(site(latest.get(store, "dev-1", T0 + 50))).isEqualTo("berlin");
    assertThat(latest.get(store, "dev-1", T0 - 1)).isNull();
  }

  @Test
  void keepsNoMoreThanItsCapacityAndReadsTheOthersAgain() {
    LatestReferences latest = new LatestReferences(2, lookups);
    latest.get(store, "dev-1", T0 + 10);
    latest.get(store, "dev-2", T0 + 10);
    latest.get(store, "dev-1", T0 + 10); // dev-2 is now the least recently joined
    latest.get(store, "dev-3", T0 + 10);
    assertThat(latest.size()).isEqualTo(2);

    put("dev-1", "changed", T0 + 20);
    put("dev-2", "changed", T0 + 20);
    assertThat(site(latest.get(store, "dev-1", T0 + 30))).isEqualTo("berlin"); // kept
    assertThat(site(latest.get(store, "dev-2", T0 + 30))).isEqualTo("changed"); // read again
  }

  @Test
  void aSourceWithoutALatestVersionIsNotKept() {
    LatestReferences latest = new LatestReferences(10, lookups);
    assertThat(latest.get(store, "unknown", T0 + 10)).isNull();
    assertThat(latest.size()).isZero();
    put("unknown", "found", T0 + 20);
    assertThat(site(latest.get(store, "unknown", T0 + 30))).isEqualTo("found");
  }

  @Test
  void withNoCapacityEveryLookupReadsTheStore() {
    LatestReferences latest = new LatestReferences(0, lookups);
    assertThat(site(latest.get(store, "dev-1", T0 + 10))).isEqualTo("berlin");
    put("dev-1", "oslo", T0 + 20);
    assertThat(site(latest.get(store, "dev-1", T0 + 30))).isEqualTo("oslo");
    assertThat(latest.size()).isZero();
  }

  @Test
  void theKeptAttributesCannotBeChangedByAnEventThatSharesThem() {
    LatestReferences latest = new LatestReferences(10, lookups);
    Map<String, Object> attributes = latest.get(store, "dev-1", T0 + 10).value().attributes();
    assertThatThrownBy(() -> attributes.put("site", "elsewhere"))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void aNegativeCapacityIsRejected() {
    assertThatThrownBy(() -> new LatestReferences(-1, lookups))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-1");
    assertThatThrownBy(() -> EnrichSettings.defaults().withReferenceCache(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("streamdown.enrich.reference-cache");
  }
}
