package io.streamdown.ingest.request;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.InstanceOfAssertFactories.type;
import static org.assertj.core.groups.Tuple.tuple;

import io.streamdown.ingest.config.IngestSettings;
import io.streamdown.schemas.Event;
import io.streamdown.schemas.EventLimits;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

class EventBatchParserTest {

  private static final long NOW = Instant.parse("2026-03-01T12:00:00Z").toEpochMilli();

  /** Small limits, to reach them in a few bytes: 3 events, 300 bytes each. */
  private final EventBatchParser parser = parser(3, DataSize.ofBytes(300));

  /** Room for the events of the schema tests. */
  private final EventBatchParser roomyParser = parser(10, DataSize.ofKilobytes(8));

  private static EventBatchParser parser(int maxEvents, DataSize maxEventBytes) {
    IngestSettings.Limits limits =
        new IngestSettings.Limits(
            DataSize.ofKilobytes(64), maxEvents, maxEventBytes, Duration.ofHours(1));
    return new EventBatchParser(new RequestJson(limits.maxBodyBytes().toBytes()), limits);
  }

  private List<Event> parse(BodyFormat format, String body) {
    return parser.parse(format, body.getBytes(StandardCharsets.UTF_8), NOW);
  }

  private List<Violation> violations(BodyFormat format, String body) {
    return violations(parser, format, body);
  }

  private static List<Violation> violations(
      EventBatchParser parser, BodyFormat format, String body) {
    Throwable thrown =
        catchThrowable(() -> parser.parse(format, body.getBytes(StandardCharsets.UTF_8), NOW));
    assertThat(thrown).isInstanceOf(InvalidBodyException.class);
    return ((InvalidBodyException) thrown).violations();
  }

  @Test
  void fillsIdTimeAndIngestTimeOfAMinimalEvent() {
    List<Event> events = parse(BodyFormat.JSON, "{\"source\":\"s1\",\"type\":\"t\"}");

    assertThat(events)
        .singleElement()
        .satisfies(
            event -> {
              assertThat(event.eventId()).matches("[0-9a-f-]{36}");
              assertThat(event.source()).isEqualTo("s1");
              assertThat(event.time()).isEqualTo(NOW);
              assertThat(event.ingestTime()).isEqualTo(NOW);
              assertThat(event.value()).isNull();
              assertThat(event.attributes()).isNull();
            });
  }

  @Test
  void keepsEveryFieldOfAFullEvent() {
    List<Event> events =
        parse(
            BodyFormat.JSON,
            "[{\"eventId\":\"e1\",\"source\":\"s\",\"type\":\"t\","
                + "\"time\":\"2026-03-01T11:00:00+01:00\","
                + "\"value\":2.5,\"attributes\":{\"a\":\"x\",\"n\":3,\"f\":1.5,\"b\":true}},"
                + "{\"source\":\"s\",\"type\":\"t\",\"time\":1000}]");

    assertThat(events).hasSize(2);
    Event first = events.get(0);
    assertThat(first.eventId()).isEqualTo("e1");
    assertThat(first.time()).isEqualTo(Instant.parse("2026-03-01T10:00:00Z").toEpochMilli());
    assertThat(first.value()).isEqualTo(2.5);
    assertThat(first.attributes())
        .containsExactly(
            Map.entry("a", "x"), Map.entry("n", 3L), Map.entry("f", 1.5), Map.entry("b", true));
    assertThat(events.get(1).time()).isEqualTo(1000L);
  }

  @Test
  void readsNdjsonSkippingBlankLinesAndCarriageReturns() {
    List<Event> events =
        parse(
            BodyFormat.NDJSON,
            "{\"source\":\"a\",\"type\":\"t\"}\r\n\n   \n{\"source\":\"b\",\"type\":\"t\"}\n");

    assertThat(events).extracting(Event::source).containsExactly("a", "b");
  }

  @Test
  void malformedNdjsonNamesTheLine() {
    assertThatThrownBy(
            () -> parse(BodyFormat.NDJSON, "{\"source\":\"a\",\"type\":\"t\"}\n\n{\"source\": }\n"))
        .asInstanceOf(type(MalformedBodyException.class))
        .satisfies(
            e -> {
              assertThat(e.line()).isEqualTo(3);
              assertThat(e.getMessage()).startsWith("malformed JSON on line 3, column");
            });
  }

  @Test
  void twoValuesOnOneLineAreMalformed() {
    assertThatThrownBy(() -> parse(BodyFormat.NDJSON, "{\"source\":\"a\",\"type\":\"t\"} {}"))
        .asInstanceOf(type(MalformedBodyException.class))
        .satisfies(e -> assertThat(e.line()).isEqualTo(1));
    assertThatThrownBy(() -> parse(BodyFormat.JSON, "{\"source\":\"a\",\"type\":\"t\"} {}"))
        .isInstanceOf(MalformedBodyException.class)
        .hasMessageContaining("unexpected content after the JSON value");
  }

  @Test
  void blankBodiesAreMalformed() {
    assertThatThrownBy(() -> parse(BodyFormat.JSON, "  \n "))
        .isInstanceOf(MalformedBodyException.class);
    assertThatThrownBy(() -> parse(BodyFormat.NDJSON, "\n \n"))
        .isInstanceOf(MalformedBodyException.class);
  }

  @Test
  void listsEveryProblemOfEveryBadEvent() {
    List<Violation> violations =
        violations(
            BodyFormat.JSON,
            "[{\"source\":\"ok\",\"type\":\"t\"},"
                + "{\"source\":\"s\",\"type\":\"t\",\"colour\":\"red\",\"value\":\"7\"},"
                + "{\"source\":\"s\",\"type\":\"t\",\"source\":\"again\"}]");

    assertThat(violations)
        .extracting(Violation::index, Violation::field)
        .containsExactly(tuple(1, "colour"), tuple(1, "value"), tuple(2, "source"));
    assertThat(violations.get(2).message()).contains("duplicate");
  }

  @Test
  void namesTheNestedPathOfADuplicateAttribute() {
    List<Violation> violations =
        violations(
            BodyFormat.NDJSON,
            "{\"source\":\"s\",\"type\":\"t\",\"attributes\":{\"a\":1,\"a\":2}}");

    assertThat(violations)
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.index()).isZero();
              assertThat(v.line()).isEqualTo(1);
              assertThat(v.field()).isEqualTo("attributes.a");
            });
  }

  @Test
  void rejectsValuesThatAreNotFiniteNumbers() {
    List<Violation> violations =
        violations(
            BodyFormat.NDJSON,
            "{\"source\":\"s\",\"type\":\"t\",\"value\":NaN}\n"
                + "{\"source\":\"s\",\"type\":\"t\",\"value\":1e400}\n"
                + "{\"source\":\"s\",\"type\":\"t\",\"attributes\":{\"x\":-Infinity}}");

    assertThat(violations)
        .extracting(Violation::index, Violation::field, Violation::message)
        .containsExactly(
            tuple(0, "value", "must be a finite number"),
            tuple(1, "value", "must be a finite number"),
            tuple(2, "attributes.x", "must be a finite number"));
  }

  @Test
  void rejectsNestedAndNullAttributesAndTooManyOfThem() {
    StringBuilder many = new StringBuilder("{");
    for (int i = 0; i <= EventLimits.MAX_ATTRIBUTES; i++) {
      many.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":").append(i);
    }
    many.append('}');
    String body =
        "{\"source\":\"s\",\"type\":\"t\",\"attributes\":{\"o\":{\"x\":1},\"l\":[1],\"n\":null}}\n"
            + "{\"source\":\"s\",\"type\":\"t\",\"attributes\":"
            + many
            + "}";

    List<Violation> violations = violations(roomyParser, BodyFormat.NDJSON, body);

    assertThat(violations)
        .extracting(Violation::index, Violation::field)
        .containsExactly(
            tuple(0, "attributes.o"),
            tuple(0, "attributes.l"),
            tuple(0, "attributes.n"),
            tuple(1, "attributes"));
  }

  @Test
  void checksTimeFormAndRange() {
    long tooFarAhead = NOW + Duration.ofHours(1).toMillis() + 1;
    List<Violation> violations =
        violations(
            roomyParser,
            BodyFormat.NDJSON,
            "{\"source\":\"s\",\"type\":\"t\",\"time\":\"2026-03-01T12:00:00\"}\n"
                + "{\"source\":\"s\",\"type\":\"t\",\"time\":-1}\n"
                + "{\"source\":\"s\",\"type\":\"t\",\"time\":"
                + tooFarAhead
                + "}\n"
                + "{\"source\":\"s\",\"type\":\"t\",\"time\":1.5}\n"
                + "{\"source\":\"s\",\"type\":\"t\",\"time\":"
                + (NOW + 1000)
                + "}");

    assertThat(violations).extracting(Violation::index).containsExactly(0, 1, 2, 3);
    assertThat(violations).allSatisfy(v -> assertThat(v.field()).isEqualTo("time"));
    assertThat(violations.get(1).message()).contains("1970");
    assertThat(violations.get(2).message()).contains("ahead");
  }

  @Test
  void checksRequiredFieldsAndLengths() {
    String longType = "x".repeat(EventLimits.MAX_TYPE_LENGTH + 1);
    String body =
        "[{\"type\":\"t\"},{\"source\":\" \",\"type\":\""
            + longType
            + "\"},"
            + "{\"source\":5,\"type\":\"t\",\"eventId\":\"\"}, 42]";

    List<Violation> violations = violations(roomyParser, BodyFormat.JSON, body);

    assertThat(violations)
        .extracting(Violation::index, Violation::field)
        .containsExactly(
            tuple(0, "source"),
            tuple(1, "source"),
            tuple(1, "type"),
            tuple(2, "eventId"),
            tuple(2, "source"),
            tuple(3, null));
  }

  @Test
  void topLevelScalarsAndEmptyArraysAreInvalid() {
    assertThat(violations(BodyFormat.JSON, "42"))
        .singleElement()
        .satisfies(v -> assertThat(v.index()).isZero());
    assertThat(violations(BodyFormat.JSON, "[]"))
        .singleElement()
        .satisfies(v -> assertThat(v.index()).isNull());
  }

  @Test
  void enforcesBatchAndEventSizeLimits() {
    String event = "{\"source\":\"s\",\"type\":\"t\"}";
    assertThatThrownBy(
            () ->
                parse(
                    BodyFormat.JSON,
                    "[" + String.join(",", List.of(event, event, event, event)) + "]"))
        .asInstanceOf(type(PayloadTooLargeException.class))
        .satisfies(e -> assertThat(e.limit()).isEqualTo("max-batch-events"));
    assertThatThrownBy(
            () -> parse(BodyFormat.NDJSON, String.join("\n", List.of(event, event, event, event))))
        .asInstanceOf(type(PayloadTooLargeException.class))
        .satisfies(e -> assertThat(e.limit()).isEqualTo("max-batch-events"));

    String big =
        "{\"source\":\"s\",\"type\":\"t\",\"attributes\":{\"a\":\"" + "x".repeat(300) + "\"}}";
    assertThatThrownBy(() -> parse(BodyFormat.JSON, "[" + event + "," + big + "]"))
        .asInstanceOf(type(PayloadTooLargeException.class))
        .satisfies(
            e -> {
              assertThat(e.limit()).isEqualTo("max-event-bytes");
              assertThat(e.getMessage()).startsWith("event 1 ");
            });
    assertThatThrownBy(() -> parse(BodyFormat.NDJSON, event + "\n" + big))
        .asInstanceOf(type(PayloadTooLargeException.class))
        .satisfies(e -> assertThat(e.getMessage()).contains("line 2"));
  }

  @Test
  void capsTheProblemsListedForOneEvent() {
    StringBuilder body = new StringBuilder("{\"source\":\"s\",\"type\":\"t\"");
    for (int i = 0; i < 15; i++) {
      body.append(",\"u").append(i).append("\":1");
    }
    body.append('}');

    List<Violation> violations = violations(roomyParser, BodyFormat.JSON, body.toString());

    assertThat(violations).hasSize(EventBatchParser.MAX_PROBLEMS_PER_EVENT + 1);
    assertThat(violations.get(violations.size() - 1).message())
        .isEqualTo("5 more problems not listed");
  }

  @Test
  void deepNestingHitsTheParserLimitAsInvalid() {
    String deep = "[".repeat(40) + "]".repeat(40);
    String body = "{\"source\":\"s\",\"type\":\"t\",\"attributes\":{\"a\":" + deep + "}}";

    List<Violation> violations = violations(roomyParser, BodyFormat.NDJSON, body);

    assertThat(violations)
        .singleElement()
        .satisfies(v -> assertThat(v.message()).startsWith("exceeds a parser limit"));
  }
}
