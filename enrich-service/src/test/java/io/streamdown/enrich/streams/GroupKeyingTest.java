package io.streamdown.enrich.streams;

import static io.streamdown.enrich.streams.EnrichDriver.event;
import static org.assertj.core.api.Assertions.assertThat;

import io.streamdown.enrich.config.EnrichSettings;
import io.streamdown.schemas.EnrichedEvent;
import io.streamdown.schemas.EnrichedKeying;
import io.streamdown.schemas.EventOrigin;
import io.streamdown.schemas.GroupKey;
import io.streamdown.schemas.Json;
import io.streamdown.schemas.ViewDefinition;
import io.streamdown.schemas.WindowSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code events.enriched} keyed by each event's group in the first view ({@link GroupKeying}). */
class GroupKeyingTest {

  private static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");
  private static final ViewDefinition BY_REGION =
      new ViewDefinition(
          "by-region",
          List.of("type", "reference.region"),
          WindowSpec.tumbling(Duration.ofMinutes(1)),
          null,
          null,
          null);

  @TempDir Path stateDir;
  private EnrichDriver enrich;

  @BeforeEach
  void start() {
    enrich =
        new EnrichDriver(
            stateDir,
            EnrichSettings.defaults(),
            EnrichedKeying.of(EnrichedKeying.Mode.FIRST_VIEW, List.of(BY_REGION)));
  }

  @AfterEach
  void stop() {
    enrich.close();
  }

  private static String header(TestRecord<String, EnrichedEvent> record) {
    Header header = record.headers().lastHeader(EnrichedKeying.HEADER);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  @Test
  void anEventWithAGroupIsKeyedByItAndMarkedWithTheView() {
    enrich.upsert("dev-1", Map.of("region", "eu"), T0);
    enrich.ingest(event("e-1", "dev-1", T0.plusSeconds(5), T0.plusSeconds(10)));

    List<TestRecord<String, EnrichedEvent>> out = enrich.enrichedRecords();
    assertThat(out).hasSize(1);
    assertThat(out.get(0).key()).isEqualTo(GroupKey.of("reading", "eu").encode());
    assertThat(header(out.get(0))).isEqualTo("by-region");
    // The driver's one task reads partition 0 of events.raw.
    assertThat(EventOrigin.of(out.get(0).headers())).isZero();
    assertThat(out.get(0).value().event().source()).isEqualTo("dev-1");
    assertThat(out.get(0).getRecordTime()).isEqualTo(T0.plusSeconds(10));
  }

  @Test
  void anEventWithoutAGroupKeepsItsSourceAndNoMarkEvenIfItCameWithOne() {
    // No reference data: the event has no region, so no group in the view.
    RecordHeaders forged = new RecordHeaders();
    forged.add(EnrichedKeying.HEADER, "by-region".getBytes(StandardCharsets.UTF_8));
    forged.add("trace", new byte[] {1});
    EventOrigin.mark(forged, 7);
    enrich.raw.pipeInput(
        new TestRecord<>(
            "dev-2",
            Json.write(event("e-2", "dev-2", T0, T0.plusSeconds(1))),
            forged,
            T0.plusSeconds(1)));

    List<TestRecord<String, EnrichedEvent>> out = enrich.enrichedRecords();
    assertThat(out).hasSize(1);
    assertThat(out.get(0).key()).isEqualTo("dev-2");
    assertThat(header(out.get(0))).isNull();
    assertThat(EventOrigin.of(out.get(0).headers())).as("the origin enrich read it from").isZero();
    // Other headers travel on.
    assertThat(out.get(0).headers().lastHeader("trace").value()).containsExactly(1);
  }

  @Test
  void keyedBySourceNothingIsMarked() {
    enrich.close();
    enrich =
        new EnrichDriver(
            stateDir,
            EnrichSettings.defaults(),
            EnrichedKeying.of(EnrichedKeying.Mode.SOURCE, List.of(BY_REGION)));
    enrich.upsert("dev-1", Map.of("region", "eu"), T0);
    enrich.ingest(event("e-1", "dev-1", T0.plusSeconds(5), T0.plusSeconds(10)));

    List<TestRecord<String, EnrichedEvent>> out = enrich.enrichedRecords();
    assertThat(out).extracting(TestRecord::key).containsExactly("dev-1");
    assertThat(header(out.get(0))).isNull();
    assertThat(EventOrigin.of(out.get(0).headers())).isZero();
  }
}
