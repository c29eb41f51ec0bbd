package io.streamdown.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.RecordComponent;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Payloads written by earlier or other writers keep parsing, and the schemas match the records. */
class SchemaEvolutionTest {

  @Test
  void minimalEventParses() throws IOException {
    Event event = Json.read(payload("event-minimal.json"), Event.class);

    assertThat(event.source()).isEqualTo("dev-1");
    assertThat(event.type()).isEqualTo("temp");
    assertThat(event.eventId()).isNull();
    assertThat(event.time()).isNull();
    assertThat(event.attributesOrEmpty()).isEmpty();
    assertThat(EventLimits.violations(event)).isEmpty();
  }

  @Test
  void rfc3339TimeIsReadAsEpochMillis() throws IOException {
    Event event = Json.read(payload("event-rfc3339-time.json"), Event.class);

    long expected = OffsetDateTime.parse("2026-01-02T03:04:05.678+01:00").toInstant().toEpochMilli();
    assertThat(event.time()).isEqualTo(expected);
    assertThat(event.value()).isEqualTo(21.5);
    assertThat(event.attributes()).containsEntry("unit", "C").containsEntry("ok", true);
    assertThat(((Number) event.attributes().get("floor")).intValue()).isEqualTo(3);
  }

  @Test
  void propertiesOfNewerWritersAreIgnored() throws IOException {
    Event event = Json.read(payload("event-epoch-time-newer-writer.json"), Event.class);

    assertThat(event.time()).isEqualTo(1767225600000L);
    assertThat(event.ingestTime()).isEqualTo(1767225601000L);
    assertThat(event.value()).isEqualTo(-3.0);
  }

  @Test
  void referenceAndEnrichedEventOfVersionOneParse() throws IOException {
    Reference reference = Json.read(payload("reference-v1.json"), Reference.class);
    EnrichedEvent enriched = Json.read(payload("enriched-v1.json"), EnrichedEvent.class);

    assertThat(reference.attributes()).containsEntry("region", "eu-west");
    assertThat(reference.updatedAt()).isEqualTo(1767225600000L);
    assertThat(enriched.matched()).isTrue();
    assertThat(enriched.event().ingestTime()).isEqualTo(1767225600100L);
  }

  @Test
  void writtenEventsReadBackUnchanged() {
    Event event =
        new Event("e-9", "dev-9", "temp", 5L, 2.5, java.util.Map.of("k", "v"), 6L);

    assertThat(Json.read(Json.write(event), Event.class)).isEqualTo(event);
  }

  @Test
  void eventSchemaDescribesEveryPropertyOfTheRecord() throws IOException {
    assertThat(schemaProperties("schemas/event.schema.json")).isEqualTo(components(Event.class));
  }

  @Test
  void referenceSchemaDescribesEveryPropertyOfTheRecord() throws IOException {
    assertThat(schemaProperties("schemas/reference.schema.json"))
        .isEqualTo(components(Reference.class));
  }

  private static Set<String> schemaProperties(String resource) throws IOException {
    try (InputStream in = resource(resource)) {
      JsonNode schema = Json.MAPPER.readTree(in);
      return new HashSet<>(schema.get("properties").propertyNames());
    }
  }

  private static Set<String> components(Class<? extends Record> type) {
    return new HashSet<>(
        Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName).toList());
  }

  private static byte[] payload(String name) throws IOException {
    try (InputStream in = resource("payloads/" + name)) {
      return in.readAllBytes();
    }
  }

  private static InputStream resource(String name) {
    InputStream in = SchemaEvolutionTest.class.getClassLoader().getResourceAsStream(name);
    assertThat(in).as(name).isNotNull();
    return in;
  }
}
