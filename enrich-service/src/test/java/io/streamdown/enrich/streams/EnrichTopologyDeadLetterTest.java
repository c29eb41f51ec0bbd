package io.streamdown.enrich.streams;

import static io.streamdown.enrich.streams.EnrichDriver.TOPICS;
import static io.streamdown.enrich.streams.EnrichDriver.event;
import static org.assertj.core.api.Assertions.assertThat;

import io.streamdown.schemas.DeadLetters;
import io.streamdown.schemas.EnrichedEvent;
import io.streamdown.schemas.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.core.JacksonException;

/**
 * Records that do not parse go to the dead-letter topic with their original bytes and the error
 * headers, and the good records around them are still enriched.
 */
class EnrichTopologyDeadLetterTest {

  private static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");
  private static final Map<String, Object> BERLIN = Map.of("site", "berlin");
  private static final String INVALID = InvalidRecordException.class.getName();

  @TempDir Path stateDir;
  private EnrichDriver enrich;

  @BeforeEach
  void start() {
    enrich = new EnrichDriver(stateDir);
    enrich.upsert("dev-1", BERLIN, T0);
  }

  @AfterEach
  void stop() {
    enrich.close();
  }

  @Test
  void invalidJsonIsDeadLettered() {
    byte[] garbage = "{\"source\": \"dev-1\", ".getBytes(StandardCharsets.UTF_8);

    TestRecord<byte[], byte[]> letter = sandwiched("dev-1", garbage);

    String errorClass = assertHeaders(letter, TOPICS.eventsRaw().name(), 1);
    assertThat(JacksonException.class.isAssignableFrom(loadClass(errorClass))).isTrue();
    assertOriginal(letter, "dev-1", garbage);
  }

  @Test
  void eventWithoutSourceIsDeadLettered() {
    byte[] value = utf8("{\"eventId\":\"x\",\"type\":\"reading\",\"ingestTime\":1}");

    TestRecord<byte[], byte[]> letter = sandwiched("dev-1", value);

    assertThat(assertHeaders(letter, TOPICS.eventsRaw().name(), 1)).isEqualTo(INVALID);
    assertThat(message(letter)).contains("source: is required");
    assertOriginal(letter, "dev-1", value);
  }

  @Test
  void eventWhoseKeyIsNotItsSourceIsDeadLettered() {
    byte[] value = Json.write(event("x", "dev-1", T0, T0));

    TestRecord<byte[], byte[]> letter = sandwiched("dev-9", value);

    assertThat(assertHeaders(letter, TOPICS.eventsRaw().name(), 1)).isEqualTo(INVALID);
    assertThat(message(letter)).contains("key: must equal the event's source");
    assertOriginal(letter, "dev-9", value);
  }

  @Test
  void eventWithoutKeyIsDeadLettered() {
    byte[] value = Json.write(event("x", "dev-1", T0, T0));

    TestRecord<byte[], byte[]> letter = sandwiched(null, value);

    assertThat(assertHeaders(letter, TOPICS.eventsRaw().name(), 1)).isEqualTo(INVALID);
    assertThat(message(letter)).contains("key: is required");
    assertOriginal(letter, null, value);
  }

  @Test
  void nullValueIsDeadLettered() {
    TestRecord<byte[], byte[]> letter = sandwiched("dev-1", null);

    assertThat(assertHeaders(letter, TOPICS.eventsRaw().name(), 1)).isEqualTo(INVALID);
    assertThat(message(letter)).contains("tombstone");
    assertOriginal(letter, "dev-1", null);
  }

  @Test
  void eventBreakingTheLimitsIsDeadLetteredWithEveryViolation() {
    byte[] value = utf8("{\"source\":\"dev-1\",\"attributes\":{\"nested\":{\"a\":1}}}");

    TestRecord<byte[], byte[]> letter = sandwiched("dev-1", value);

    assertThat(assertHeaders(letter, TOPICS.eventsRaw().name(), 1)).isEqualTo(INVALID);
    assertThat(message(letter))
        .contains("type: is required")
        .contains("attributes.nested: must be a string, number or boolean");
  }

  @Test
  void garbageOnTheReferenceTopicIsDeadLetteredAndKeepsTheReference() {
    byte[] garbage = utf8("not json at all");
    enrich.ingest(event("before", "dev-1", T0, T0.plusSeconds(1)));
    enrich.reference.pipeInput("dev-1", garbage, T0.plusSeconds(2));
    enrich.ingest(event("after", "dev-1", T0, T0.plusSeconds(3)));

    TestRecord<byte[], byte[]> letter = singleDeadLetter();
    // Offset 0 of the reference topic is the upsert of the set-up.
    String errorClass = assertHeaders(letter, TOPICS.reference().name(), 1);
    assertThat(JacksonException.class.isAssignableFrom(loadClass(errorClass))).isTrue();
    assertOriginal(letter, "dev-1", garbage);
    assertBothEnriched();
    assertThat(enrich.referenceStore().get("dev-1").value().attributes()).isEqualTo(BERLIN);
  }

  @Test
  void referenceWhoseSourceIsNotItsKeyIsDeadLettered() {
    byte[] value = utf8("{\"source\":\"dev-2\",\"attributes\":{\"site\":\"oslo\"}}");
    enrich.ingest(event("before", "dev-1", T0, T0.plusSeconds(1)));
    enrich.reference.pipeInput("dev-1", value, T0.plusSeconds(2));
    enrich.ingest(event("after", "dev-1", T0, T0.plusSeconds(3)));

    TestRecord<byte[], byte[]> letter = singleDeadLetter();
    assertThat(assertHeaders(letter, TOPICS.reference().name(), 1)).isEqualTo(INVALID);
    assertThat(message(letter)).contains("key: must equal the reference's source");
    assertOriginal(letter, "dev-1", value);
    assertBothEnriched();
  }

  @Test
  void referenceWithNestedAttributesIsDeadLettered() {
    byte[] value = utf8("{\"attributes\":{\"site\":[\"a\"]}}");
    enrich.reference.pipeInput("dev-1", value, T0.plusSeconds(2));

    TestRecord<byte[], byte[]> letter = singleDeadLetter();
    assertThat(assertHeaders(letter, TOPICS.reference().name(), 1)).isEqualTo(INVALID);
    assertThat(message(letter)).contains("attributes.site");
  }

  /** Pipes a good event, then the given record, then another good event; returns the letter. */
  private TestRecord<byte[], byte[]> sandwiched(String key, byte[] value) {
    enrich.ingest(event("before", "dev-1", T0, T0.plusSeconds(1)));
    enrich.raw.pipeInput(key, value, T0.plusSeconds(2));
    enrich.ingest(event("after", "dev-1", T0, T0.plusSeconds(3)));
    assertBothEnriched();
    return singleDeadLetter();
  }

  private void assertBothEnriched() {
    List<EnrichedEvent> out = enrich.enrichedEvents();
    assertThat(out).extracting(e -> e.event().eventId()).containsExactly("before", "after");
    assertThat(out).extracting(EnrichedEvent::reference).containsOnly(BERLIN);
  }

  private TestRecord<byte[], byte[]> singleDeadLetter() {
    List<TestRecord<byte[], byte[]>> letters = enrich.dlq.readRecordsToList();
    assertThat(letters).hasSize(1);
    assertThat(enrich.deadLetters.deadLetters).hasSize(1);
    return letters.get(0);
  }

  /** Asserts the stage and origin headers; returns the error class header. */
  private String assertHeaders(TestRecord<byte[], byte[]> letter, String topic, long offset) {
    Headers headers = letter.headers();
    assertThat(DeadLetters.header(headers, DeadLetters.STAGE)).isEqualTo("enrich");
    assertThat(DeadLetters.header(headers, DeadLetters.ORIGIN_TOPIC)).isEqualTo(topic);
    assertThat(DeadLetters.header(headers, DeadLetters.ORIGIN_PARTITION)).isEqualTo("0");
    assertThat(DeadLetters.header(headers, DeadLetters.ORIGIN_OFFSET))
        .isEqualTo(Long.toString(offset));
    assertThat(message(letter)).isNotBlank();
    String errorClass = DeadLetters.header(headers, DeadLetters.ERROR_CLASS);
    assertThat(enrich.deadLetters.deadLetters).containsExactly("enrich/" + errorClass);
    return errorClass;
  }

  private static String message(TestRecord<byte[], byte[]> letter) {
    return DeadLetters.header(letter.headers(), DeadLetters.ERROR_MESSAGE);
  }

  private static void assertOriginal(TestRecord<byte[], byte[]> letter, String key, byte[] value) {
    assertThat(letter.key()).isEqualTo(key == null ? null : utf8(key));
    assertThat(letter.value()).isEqualTo(value);
  }

  private static Class<?> loadClass(String name) {
    try {
      return Class.forName(name);
    } catch (ClassNotFoundException e) {
      throw new AssertionError("error class header names no class: " + name, e);
    }
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
