package io.streamdown.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/** The small contracts: keys, field paths, views, topics, dead-letter headers, time formats. */
class ContractsTest {

  @Test
  void groupKeysRoundTripWhateverTheirCharacters() {
    GroupKey key = GroupKey.of("temp", "dev,\"1\"|\u0000ü");

    assertThat(GroupKey.decode(key.encode())).isEqualTo(key);
    assertThat(key.encode()).isNotEqualTo(GroupKey.of("temp", "dev").encode());
  }

  @Test
  void fieldPathsResolveEveryKindOfField() {
    Event event = new Event("e", "dev-1", "temp", 1L, 2.0, Map.of("floor", 3.0, "on", true), 1L);
    EnrichedEvent enriched = new EnrichedEvent(event, Map.of("region", "eu"));

    assertThat(FieldPath.of("type").resolve(enriched)).isEqualTo("temp");
    assertThat(FieldPath.of("source").resolve(enriched)).isEqualTo("dev-1");
    assertThat(FieldPath.of("attributes.floor").resolve(enriched)).isEqualTo("3");
    assertThat(FieldPath.of("attributes.on").resolve(enriched)).isEqualTo("true");
    assertThat(FieldPath.of("attributes.missing").resolve(enriched)).isNull();
    assertThat(FieldPath.of("reference.region").resolve(enriched)).isEqualTo("eu");
    assertThat(FieldPath.of("reference.region").resolve(new EnrichedEvent(event, null))).isNull();
    assertThatThrownBy(() -> FieldPath.of("value")).hasMessageContaining("unsupported field path");
    assertThatThrownBy(() -> FieldPath.of("attributes.")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void viewsGetSaneDefaultsAndRejectNonsense() {
    ViewDefinition view =
        new ViewDefinition(
            "by-x", List.of("type"), WindowSpec.tumbling(Duration.ofMinutes(1)), null, null, null);

    assertThat(view.grace()).isZero();
    assertThat(view.emit()).isEqualTo(EmitMode.UPDATES);
    assertThat(view.retention()).isEqualTo(Duration.ofDays(1));
    assertThat(view.window().advance()).isEqualTo(Duration.ofMinutes(1));

    assertThatThrownBy(() -> view("By_X", List.of("type"), WindowSpec.tumbling(Duration.ofMinutes(1))))
        .hasMessageContaining("lower-case");
    assertThatThrownBy(() -> view("v", List.of(), WindowSpec.tumbling(Duration.ofMinutes(1))))
        .hasMessageContaining("groupBy");
    assertThatThrownBy(() -> view("v", List.of("type", "type"), WindowSpec.tumbling(Duration.ofMinutes(1))))
        .hasMessageContaining("repeats");
    assertThatThrownBy(() -> WindowSpec.hopping(Duration.ofMinutes(1), Duration.ofMinutes(2)))
        .hasMessageContaining("advance");
    assertThatThrownBy(
            () ->
                new ViewDefinition(
                    "v",
                    List.of("type"),
                    WindowSpec.tumbling(Duration.ofHours(1)),
                    Duration.ofMinutes(5),
                    EmitMode.FINAL,
                    Duration.ofMinutes(30)))
        .hasMessageContaining("retention");
  }

  @Test
  void sessionAndSlidingWindowsTakeOnlyTheirOwnParameters() {
    WindowSpec session = WindowSpec.session(Duration.ofSeconds(30));
    assertThat(session.type()).isEqualTo(WindowType.SESSION);
    assertThat(session.size()).isNull();
    assertThat(session.advance()).isNull();
    assertThat(session.minimumRetention()).isEqualTo(Duration.ofSeconds(30));

    WindowSpec sliding = WindowSpec.sliding(Duration.ofMinutes(5));
    assertThat(sliding.advance()).isNull();
    assertThat(sliding.gap()).isNull();
    assertThat(sliding.minimumRetention()).isEqualTo(Duration.ofMinutes(10));

    assertThatThrownBy(() -> new WindowSpec(WindowType.SESSION, null, null, null))
        .hasMessageContaining("gap");
    Duration minute = Duration.ofMinutes(1);
    Duration second = Duration.ofSeconds(1);
    assertThatThrownBy(() -> new WindowSpec(WindowType.SESSION, minute, null, second))
        .hasMessageContaining("no size");
    assertThatThrownBy(() -> WindowSpec.session(Duration.ZERO)).hasMessageContaining("positive");
    assertThatThrownBy(() -> new WindowSpec(WindowType.SLIDING, minute, second, null))
        .hasMessageContaining("no advance");
    assertThatThrownBy(() -> new WindowSpec(WindowType.TUMBLING, minute, null, second))
        .hasMessageContaining("only a session");
    // Configured without a gap, the time windows mean what they meant.
    assertThat(new WindowSpec(WindowType.HOPPING, Duration.ofMinutes(5), minute, null))
        .isEqualTo(WindowSpec.hopping(Duration.ofMinutes(5), minute));
  }

  @Test
  void retentionMustCoverWhatKafkaStreamsKeepsForEachKind() {
    ViewDefinition session =
        new ViewDefinition(
            "s", List.of("type"), WindowSpec.session(Duration.ofSeconds(30)),
            Duration.ofSeconds(60), null, null);
    assertThat(session.retention()).isEqualTo(Duration.ofDays(1));
    assertThatThrownBy(
            () ->
                new ViewDefinition(
                    "s", List.of("type"), WindowSpec.session(Duration.ofSeconds(30)),
                    Duration.ofSeconds(60), null, Duration.ofSeconds(89)))
        .hasMessageContaining("window gap + grace (PT1M30S)");
    assertThatThrownBy(
            () ->
                new ViewDefinition(
                    "w", List.of("type"), WindowSpec.sliding(Duration.ofMinutes(1)),
                    Duration.ofSeconds(10), null, Duration.ofSeconds(129)))
        .hasMessageContaining("twice the window size + grace (PT2M10S)");
    assertThat(
            new ViewDefinition(
                    "w", List.of("type"), WindowSpec.sliding(Duration.ofMinutes(1)),
                    Duration.ofSeconds(10), null, Duration.ofSeconds(130))
                .retention())
        .isEqualTo(Duration.ofSeconds(130));
  }

  @Test
  void topicsCarryThePrefixAndTheirPolicies() {
    TopicCatalog topics = new TopicCatalog("t1.");

    assertThat(topics.all())
        .extracting(Topic::name)
        .containsExactly(
            "t1.events.raw", "t1.reference", "t1.events.enriched", "t1.events.dlq", "t1.aggregates");
    assertThat(topics.reference().configs()).containsEntry("cleanup.policy", "compact");
    assertThat(topics.aggregates().configs()).containsEntry("cleanup.policy", "compact,delete");
    assertThat(topics.eventsDlq().configs())
        .containsEntry("retention.ms", Long.toString(Duration.ofDays(30).toMillis()));
    List<NewTopic> newTopics = topics.newTopics(6, Optional.of((short) 1));
    assertThat(newTopics).allSatisfy(t -> assertThat(t.numPartitions()).isEqualTo(6));
    assertThat(TopicCatalog.withDefaultPrefix().eventsRaw().name()).isEqualTo("streamdown.events.raw");
  }

  @Test
  void deadLetterHeadersReplaceEarlierOnesAndKeepTheRest() {
    RecordHeaders original = new RecordHeaders();
    original.add("trace", "abc".getBytes(StandardCharsets.UTF_8));
    original.add(DeadLetters.STAGE, "old".getBytes(StandardCharsets.UTF_8));

    var headers =
        DeadLetters.headers(original, "enrich", "x.Boom", "m".repeat(5000), "topic", 3, 42L);

    assertThat(DeadLetters.header(headers, "trace")).isEqualTo("abc");
    assertThat(headers.headers(DeadLetters.STAGE)).hasSize(1);
    assertThat(DeadLetters.header(headers, DeadLetters.STAGE)).isEqualTo("enrich");
    assertThat(DeadLetters.header(headers, DeadLetters.ERROR_CLASS)).isEqualTo("x.Boom");
    assertThat(DeadLetters.header(headers, DeadLetters.ERROR_MESSAGE))
        .hasSize(DeadLetters.MAX_MESSAGE_LENGTH);
    assertThat(DeadLetters.header(headers, DeadLetters.ORIGIN_TOPIC)).isEqualTo("topic");
    assertThat(DeadLetters.header(headers, DeadLetters.ORIGIN_PARTITION)).isEqualTo("3");
    assertThat(DeadLetters.header(headers, DeadLetters.ORIGIN_OFFSET)).isEqualTo("42");
  }

  @Test
  void timesAreEpochMillisOrRfc3339() {
    assertThat(EpochMillisDeserializer.parse("1767225600000")).isEqualTo(1767225600000L);
    assertThat(EpochMillisDeserializer.parse("2026-01-01T00:00:00Z")).isEqualTo(1767225600000L);
    assertThat(EpochMillisDeserializer.parse("2026-01-01T01:00:00.5+01:00"))
        .isEqualTo(1767225600500L);
    assertThatThrownBy(() -> EpochMillisDeserializer.parse("yesterday"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> EpochMillisDeserializer.parse("2026-01-01T00:00:00"))
        .as("an offset is required")
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> EpochMillisDeserializer.parse("99999999999999999999"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void allWindowsOfAGroupShareAPartition() {
    AggregateKey first = new AggregateKey("by-source", List.of("temp", "dev-1"), 0);
    AggregateKey later = new AggregateKey("by-source", List.of("temp", "dev-1"), 600_000);
    var partitioner = AggregatePartitioner.<WindowAggregate>forAggregateKeys();

    assertThat(partitioner.partitions("t", first, null, 6))
        .isEqualTo(partitioner.partitions("t", later, null, 6));
    assertThat(
            AggregatePartitioner.<WindowAggregate>forGroupKeysOf("by-source")
                .partitions("t", first.groupKey().encode(), null, 6))
        .isEqualTo(partitioner.partitions("t", first, null, 6));
    Set<Integer> used = new HashSet<>();
    for (int i = 0; i < 100; i++) {
      used.add(AggregatePartitioner.partition("by-source", GroupKey.of("t", "d" + i).encode(), 6));
    }
    assertThat(used).hasSize(6);
  }

  @Test
  void eventLimitsNameTheField() {
    Event bad =
        new Event(
            "",
            " ",
            null,
            null,
            Double.NaN,
            Map.of("n", List.of(), "long", "x".repeat(1025), "x".repeat(129), 1),
            null);

    assertThat(EventLimits.violations(bad))
        .anyMatch(v -> v.startsWith("source:"))
        .anyMatch(v -> v.startsWith("type:"))
        .anyMatch(v -> v.startsWith("eventId:"))
        .anyMatch(v -> v.startsWith("value:"))
        .anyMatch(v -> v.startsWith("attributes.n:"))
        .anyMatch(v -> v.startsWith("attributes.long:"))
        .anyMatch(v -> v.startsWith("attributes: names"));
  }

  private static ViewDefinition view(String name, List<String> groupBy, WindowSpec window) {
    return new ViewDefinition(name, groupBy, window, null, null, null);
  }
}
