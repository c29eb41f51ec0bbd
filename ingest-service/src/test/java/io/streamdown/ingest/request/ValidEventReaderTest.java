package io.streamdown.ingest.request;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamdown.schemas.Event;
import io.streamdown.schemas.EventLimits;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * {@link ValidEventReader} against {@link EventValidator}, which it stands in for: every event it
 * returns must be the one the validator returns for the same JSON, and it must return the plain
 * valid events (else it saves nothing).
 */
class ValidEventReaderTest {

  private static final long NOW = Instant.parse("2026-03-01T12:00:00Z").toEpochMilli();
  private static final Duration SKEW = Duration.ofHours(1);

  private final RequestJson json = new RequestJson(1 << 20);
  private final ValidEventReader reader = new ValidEventReader(SKEW);
  private final EventValidator validator = new EventValidator(SKEW);

  private Event fast(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    return reader.read(json.strict(), bytes, 0, bytes.length, NOW);
  }

  /** The validator's event, or null when it refuses the JSON (or cannot read it). */
  private Event validated(String text) {
    JsonNode node;
    try {
      node = json.strict().readTree(text.getBytes(StandardCharsets.UTF_8));
    } catch (JacksonException e) {
      return null;
    }
    if (node == null || !node.isObject()) {
      return null;
    }
    return validator.validate(node, NOW, new ArrayList<>());
  }

  /** The reader's event equals the validator's, attribute types and order included. */
  private void assertSameAsValidator(String text) {
    Event fast = fast(text);
    if (fast == null) {
      return;
    }
    Event validated = validated(text);
    assertThat(validated).as("the validator refuses %s", text).isNotNull();
    boolean generatedId = !text.contains("\"eventId\":\"");
    if (generatedId) {
      assertThat(UUID.fromString(fast.eventId())).isNotNull();
      fast = withId(fast, validated.eventId());
    }
    assertThat(fast).as(text).isEqualTo(validated);
    if (fast.attributes() != null) {
      assertThat(List.copyOf(fast.attributes().keySet()))
          .as(text)
          .isEqualTo(List.copyOf(validated.attributes().keySet()));
      fast.attributes()
          .forEach(
              (name, value) ->
                  assertThat(value)
                      .as(text + " " + name)
                      .isExactlyInstanceOf(validated.attributes().get(name).getClass()));
    }
  }

  private static Event withId(Event event, String id) {
    return new Event(
        id,
        event.source(),
        event.type(),
        event.time(),
        event.value(),
        event.attributes(),
        event.ingestTime());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"source\":\"ad-1\",\"type\":\"view\"}",
        "{\"eventId\":\"e-1\",\"source\":\"ad-1\",\"type\":\"view\",\"time\":1772366400000,"
            + "\"value\":2.5,\"attributes\":{\"user_id\":\"u-1\",\"n\":3,\"x\":-0.5,\"ok\":true,"
            + "\"no\":false}}",
        "{\"type\":\"click\",\"source\":\"ad-2\",\"time\":\"2026-03-01T11:00:00Z\",\"value\":7}",
        "{\"source\":\"ad-1\",\"type\":\"view\",\"eventId\":null,\"time\":null,\"value\":null,"
            + "\"attributes\":null}",
        "{\"source\":\"ad-1\",\"type\":\"view\",\"attributes\":{}}",
        "{\"source\":\"ad-1\",\"type\":\"view\",\"time\":\"2026-03-01T13:00:00+01:00\"}",
        " { \"source\" : \"\\u00e9t\\u00e9\" , \"type\" : \"view\\n\" } "
      })
  void readsPlainValidEventsAsTheValidatorDoes(String text) {
    assertThat(fast(text)).as("the fast path takes %s", text).isNotNull();
    assertSameAsValidator(text);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"source\":\"ad-1\"}",
        "{\"source\":\"ad-1\",\"type\":null}",
        "{\"source\":\"ad-1\",\"type\":\"view\",\"colour\":\"red\"}",
        "{\"source\":\"ad-1\",\"type\":\"view\",\"colour\":null}",
        "{\"source\":\"ad-1\",\"type\":\"view\",\"type\":\"click\"}",
        "{\"source\":\"ad-1\",\"type\":\"view\",\"attributes\":{\"a\":1,\"a\":2}}",
        "{\"source\":\"ad-1\",\"type\":\" \"}",
        "{\"source\":\"ad-1\",\"type\":7}",
        "{\"source\":\"ad-1\",\"type\":\"view\",\"value\":NaN}",
        "{\"source\":\"ad-1\",\"type\":\"view\",\"value\":\"7\"}",
        "{\"source\":\"ad-1\",\"type\":\"view\",\"time\":-1}",
        "{\"source\":\"ad-1\",\"type\":\"view\",\"time\":1.5}",
        "{\"source\":\"ad-1\",\"type\":\"view\",\"time\":99999999999999999999}",
        "{\"source\":\"ad-1\",\"type\":\"view\",\"time\":\"yesterday\"}",
        "{\"source\":\"ad-1\",\"type\":\"view\",\"time\":\"2026-03-01T14:00:01Z\"}",
        "{\"source\":\"ad-1\",\"type\":\"view\",\"attributes\":[]}",
        "{\"source\":\"ad-1\",\"type\":\"view\",\"attributes\":{\"a\":null}}",
        "{\"source\":\"ad-1\",\"type\":\"view\",\"attributes\":{\"a\":{}}}",
        "{\"source\":\"ad-1\",\"type\":\"view\",\"attributes\":{\"a\":[1]}}",
        "{\"source\":\"ad-1\",\"type\":\"view\",\"attributes\":{\"\":1}}",
        "{\"source\":\"ad-1\",\"type\":\"view\",\"attributes\":{\"a\":-Infinity}}",
        "{\"source\":\"ad-1\",\"type\":\"view\",\"attributes\":{\"a\":123456789012345678901}}",
        "[{\"source\":\"ad-1\",\"type\":\"view\"}]",
        "\"event\""
      })
  void leavesEverythingElseToTheValidator(String text) {
    assertThat(fast(text)).as(text).isNull();
  }

  @Test
  void leavesLimitsToTheValidatorAtTheirEdges() {
    String longest = "x".repeat(EventLimits.MAX_TYPE_LENGTH);
    assertThat(fast(event("\"type\":\"" + longest + "\""))).isNotNull();
    assertThat(fast(event("\"type\":\"" + longest + "x\""))).isNull();
    assertThat(fast(event("\"attributes\":" + attributes(EventLimits.MAX_ATTRIBUTES))))
        .isNotNull();
    assertThat(fast(event("\"attributes\":" + attributes(EventLimits.MAX_ATTRIBUTES + 1))))
        .isNull();
    String longValue = "v".repeat(EventLimits.MAX_ATTRIBUTE_STRING_LENGTH);
    assertThat(fast(event("\"attributes\":{\"a\":\"" + longValue + "\"}"))).isNotNull();
    assertThat(fast(event("\"attributes\":{\"a\":\"" + longValue + "v\"}"))).isNull();
    String longName = "n".repeat(EventLimits.MAX_ATTRIBUTE_NAME_LENGTH);
    assertThat(fast(event("\"attributes\":{\"" + longName + "\":1}"))).isNotNull();
    assertThat(fast(event("\"attributes\":{\"" + longName + "n\":1}"))).isNull();
    long latest = NOW + SKEW.toMillis();
    assertThat(fast(event("\"time\":" + latest))).isNotNull();
    assertThat(fast(event("\"time\":" + (latest + 1)))).isNull();
  }

  /** A valid event with {@code field} instead of its type (or in addition to the others). */
  private static String event(String field) {
    return field.startsWith("\"type\"")
        ? "{\"source\":\"ad-1\"," + field + "}"
        : "{\"source\":\"ad-1\",\"type\":\"view\"," + field + "}";
  }

  private static String attributes(int count) {
    return IntStream.range(0, count)
        .mapToObj(i -> "\"a" + i + "\":" + i)
        .collect(Collectors.joining(",", "{", "}"));
  }

  /**
   * Random events from fragments, valid and not, in random order: whatever the reader returns is
   * what the validator returns.
   */
  @Test
  void agreesWithTheValidatorOnRandomEvents() {
    List<List<String>> fields =
        List.of(
            List.of(
                "\"eventId\":\"id-%d\"", "\"eventId\":null", "\"eventId\":\"\"", "\"eventId\":3"),
            List.of(
                "\"source\":\"ad-%d\"", "\"source\":null", "\"source\":\"\\t\"", "\"source\":{}"),
            List.of("\"type\":\"view\"", "\"type\":\"t-%d\"", "\"type\":false", "\"type\":\"\""),
            List.of(
                "\"time\":1772360000000",
                "\"time\":\"2026-03-01T11:59:00.123Z\"",
                "\"time\":null",
                "\"time\":-5",
                "\"time\":1.0",
                "\"time\":\"2026-03-01\"",
                "\"time\":1872360000000"),
            List.of(
                "\"value\":%d",
                "\"value\":-0.25",
                "\"value\":1e308",
                "\"value\":1e309",
                "\"value\":null",
                "\"value\":Infinity",
                "\"value\":true"),
            List.of(
                "\"attributes\":{\"k\":\"v-%d\",\"n\":%d,\"d\":0.5,\"b\":true}",
                "\"attributes\":{\"big\":9223372036854775807,\"bigger\":9223372036854775808}",
                "\"attributes\":{\"e\":1E2,\"z\":-0,\"f\":-0.0}",
                "\"attributes\":{}",
                "\"attributes\":null",
                "\"attributes\":{\"x\":null}",
                "\"attributes\":7"),
            List.of("\"extra\":1", "\"extra\":null"));
    SplittableRandom random = new SplittableRandom(20261205L);
    int taken = 0;
    for (int i = 0; i < 20_000; i++) {
      List<String> parts = new ArrayList<>();
      for (List<String> options : fields) {
        // The extra (unknown) field rarely, the others mostly present.
        boolean extra = options == fields.get(fields.size() - 1);
        boolean present = extra ? random.nextInt(10) == 0 : random.nextInt(5) > 0;
        if (present) {
          // The first fragment of each field is valid: half the time that one, so that many
          // events are valid, and the others (valid or not) as often as each other.
          String fragment =
              random.nextBoolean() ? options.get(0) : options.get(random.nextInt(options.size()));
          parts.add(fragment.replace("%d", "" + i));
        }
      }
      Collections.shuffle(parts, new java.util.Random(random.nextLong()));
      String text = "{" + String.join(",", parts) + "}";
      assertSameAsValidator(text);
      taken += fast(text) == null ? 0 : 1;
    }
    // Enough of the random events are plainly valid for the comparison to mean something.
    assertThat(taken).isGreaterThan(2_000);
  }
}
