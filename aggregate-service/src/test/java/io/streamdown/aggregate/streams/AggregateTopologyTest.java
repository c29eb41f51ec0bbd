package io.streamdown.aggregate.streams;

import static io.streamdown.aggregate.streams.AggregateDriver.BASE;
import static io.streamdown.aggregate.streams.AggregateDriver.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamdown.schemas.AggregateKey;
import io.streamdown.schemas.AggregatePartitioner;
import io.streamdown.schemas.DeadLetters;
import io.streamdown.schemas.EmitMode;
import io.streamdown.schemas.EnrichedEvent;
import io.streamdown.schemas.Event;
import io.streamdown.schemas.FieldPath;
import io.streamdown.schemas.GroupKey;
import io.streamdown.schemas.Json;
import io.streamdown.schemas.ViewDefinition;
import io.streamdown.schemas.WindowAggregate;
import io.streamdown.schemas.WindowSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.errors.TopologyException;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

class AggregateTopologyTest {

  private static final Duration MINUTE = Duration.ofMinutes(1);
  private static final Duration GRACE = Duration.ofSeconds(10);

  static ViewDefinition tumbling(String name, EmitMode emit, String... groupBy) {
    return new ViewDefinition(
        name, List.of(groupBy), WindowSpec.tumbling(MINUTE), GRACE, emit, Duration.ofDays(1));
  }

  @Test
  void tumblingWindowsAggregateEachGroupAndWindowExactly() {
    ViewDefinition view = tumbling("by-source", EmitMode.UPDATES, "type", "source");
    List<EnrichedEvent> events =
        List.of(
            event("temp", "dev-1", BASE + 5_000, 10.0),
            event("temp", "dev-1", BASE + 20_000, 30.5),
            event("temp", "dev-2", BASE + 30_000, 7.0),
            event("temp", "dev-1", BASE + 45_000, null),
            event("temp", "dev-1", BASE + 65_000, 4.0),
            event("temp", "dev-2", BASE + 70_000, -2.0),
            event("temp", "dev-2", BASE + 80_000, 12.0));

    try (AggregateDriver driver = new AggregateDriver(view)) {
      events.forEach(driver::send);
      List<WindowAggregate> emitted = driver.readAggregates();

      // Cache off, emit updates, one window per event: one record per event.
      assertThat(emitted).hasSize(events.size());
      Map<AggregateKey, WindowAggregate> latest = AggregateDriver.latest(emitted);
      Map<AggregateKey, Expected> expected = expectedTumbling(view, events);
      assertThat(latest.keySet()).isEqualTo(expected.keySet()).hasSize(4);
      expected.forEach((key, exp) -> exp.assertMatches(latest.get(key)));
      assertThat(driver.listener.emitted).hasSize(events.size());

      // The window store holds the same aggregates under (group key, window start).
      Map<AggregateKey, WindowAggregate> stored = new LinkedHashMap<>();
      try (KeyValueIterator<Windowed<String>, WindowAggregate> all =
          driver.store(view.name()).all()) {
        all.forEachRemaining(
            kv ->
                stored.put(
                    new AggregateKey(
                        view.name(),
                        GroupKey.decode(kv.key.key()).values(),
                        kv.key.window().start()),
                    kv.value));
      }
      assertThat(stored.keySet()).isEqualTo(expected.keySet());
      expected.forEach(
          (key, exp) -> {
            WindowAggregate value = stored.get(key);
            exp.assertCounts(value);
            assertThat(value.view()).isEqualTo(view.name());
            assertThat(List.copyOf(value.group().values())).isEqualTo(key.group());
          });
      AggregateKey first = expected.keySet().iterator().next();
      assertThat(
              driver
                  .store(view.name())
                  .fetch(new GroupKey(first.group()).encode(), first.windowStart())
                  .count())
          .isEqualTo(expected.get(first).events.size());
    }
  }

  @Test
  void hoppingWindowEventLandsInSizeOverAdvanceWindows() {
    ViewDefinition view =
        new ViewDefinition(
            "by-type-5m",
            List.of("type"),
            WindowSpec.hopping(Duration.ofMinutes(5), MINUTE),
            GRACE,
            EmitMode.UPDATES,
            null);
    long time = BASE + 150_000;
    try (AggregateDriver driver = new AggregateDriver(view)) {
      driver.send(event("temp", "dev-1", time, 3.0));
      List<WindowAggregate> emitted = driver.readAggregates();

      long windowsPerEvent = view.window().size().toMillis() / view.window().advance().toMillis();
      assertThat(emitted).hasSize((int) windowsPerEvent);
      Set<Long> expectedStarts = ViewWindows.of(view).windowsFor(time).keySet();
      assertThat(emitted.stream().map(WindowAggregate::windowStart).collect(Collectors.toSet()))
          .isEqualTo(expectedStarts);
      for (WindowAggregate aggregate : emitted) {
        assertThat(aggregate.windowEnd() - aggregate.windowStart())
            .isEqualTo(view.window().size().toMillis());
        assertThat(time).isGreaterThanOrEqualTo(aggregate.windowStart());
        assertThat(time).isLessThan(aggregate.windowEnd());
        assertThat(aggregate.count()).isEqualTo(1);
        assertThat(aggregate.sum()).isEqualTo(3.0);
        assertThat(aggregate.group()).containsExactly(Map.entry("type", "temp"));
      }
      for (long start : expectedStarts) {
        assertThat(driver.store(view.name()).fetch(GroupKey.of("temp").encode(), start))
            .isNotNull();
      }
    }
  }

  @Test
  void emitUpdatesWritesEveryChangeWhileEmitFinalWritesEachWindowOnceWhenItCloses() {
    ViewDefinition updates = tumbling("updates", EmitMode.UPDATES, "type");
    ViewDefinition finals = tumbling("finals", EmitMode.FINAL, "type");
    long closeAfter = MINUTE.toMillis() + GRACE.toMillis();
    try (AggregateDriver driver = new AggregateDriver(updates, finals)) {
      List<EnrichedEvent> firstWindow =
          List.of(
              event("temp", "a", BASE + 10_000, 1.0),
              event("temp", "b", BASE + 20_000, 2.0),
              event("temp", "a", BASE + 30_000, 3.0));
      firstWindow.forEach(driver::send);
      // Stream time one millisecond short of closing the first window.
      EnrichedEvent almost = event("temp", "a", BASE + closeAfter - 1, 4.0);
      driver.advanceWallClock(Duration.ofSeconds(2));
      driver.send(almost);

      List<WindowAggregate> before = driver.readAggregates();
      assertThat(byView(before, "updates")).hasSize(firstWindow.size() + 1);
      assertThat(byView(before, "finals")).isEmpty();

      // Final results are emitted by a record that advances stream time past end + grace (and
      // at most once per emit interval of wall-clock time).
      driver.advanceWallClock(Duration.ofSeconds(2));
      driver.send(event("temp", "b", BASE + closeAfter, 5.0));
      List<WindowAggregate> closing = byView(driver.readAggregates(), "finals");
      assertThat(closing).hasSize(1);
      WindowAggregate closed = closing.get(0);
      assertThat(closed.windowStart()).isEqualTo(BASE);
      assertThat(closed.windowEnd()).isEqualTo(BASE + MINUTE.toMillis());
      assertThat(closed.count()).isEqualTo(firstWindow.size());
      assertThat(closed.max())
          .isEqualTo(firstWindow.stream().mapToDouble(e -> e.event().value()).max().orElseThrow());

      // Later records do not emit that window again; the next one closes in turn, once.
      driver.advanceWallClock(Duration.ofSeconds(2));
      driver.send(event("temp", "a", BASE + closeAfter + 1_000, 6.0));
      assertThat(byView(driver.readAggregates(), "finals")).isEmpty();
      driver.advanceWallClock(Duration.ofSeconds(2));
      driver.send(event("temp", "a", BASE + MINUTE.toMillis() + closeAfter, 7.0));
      List<WindowAggregate> second = byView(driver.readAggregates(), "finals");
      assertThat(second).hasSize(1);
      assertThat(second.get(0).windowStart()).isEqualTo(BASE + MINUTE.toMillis());
      // almost, the closing record and the one after it fall in the second window.
      assertThat(second.get(0).count()).isEqualTo(3);
    }
  }

  @Test
  void eventWithoutAGroupByFieldIsSkippedAndCountedByThatViewOnly() {
    ViewDefinition byRegion = tumbling("by-region", EmitMode.UPDATES, "type", "reference.region");
    ViewDefinition byType = tumbling("by-type", EmitMode.UPDATES, "type");
    try (AggregateDriver driver = new AggregateDriver(byRegion, byType)) {
      driver.send(event("temp", "dev-1", BASE + 1_000, 1.0, Map.of("region", "eu")));
      driver.send(event("temp", "dev-2", BASE + 2_000, 2.0, null));
      driver.send(event("temp", "dev-3", BASE + 3_000, 3.0, Map.of("site", "x")));

      List<WindowAggregate> emitted = driver.readAggregates();
      Map<AggregateKey, WindowAggregate> latest = AggregateDriver.latest(emitted);
      assertThat(driver.listener.unkeyedCount("by-region")).isEqualTo(2);
      assertThat(driver.listener.unkeyedCount("by-type")).isZero();
      assertThat(latest.get(new AggregateKey("by-region", List.of("temp", "eu"), BASE)).count())
          .isEqualTo(1);
      assertThat(byView(emitted, "by-region")).hasSize(1);
      assertThat(latest.get(new AggregateKey("by-type", List.of("temp"), BASE)).count())
          .isEqualTo(3);
    }
  }

  @Test
  void numericAttributesGroupByTheirShortestText() {
    ViewDefinition view = tumbling("by-floor", EmitMode.UPDATES, "attributes.floor");
    try (AggregateDriver driver = new AggregateDriver(view)) {
      for (Object floor : List.of(3, 3.0, "3")) {
        Map<String, Object> attributes = Map.of("floor", floor);
        driver.send(
            new EnrichedEvent(
                new Event("id-" + floor, "dev", "temp", BASE, 1.0, attributes, BASE), null));
      }
      Map<AggregateKey, WindowAggregate> latest =
          AggregateDriver.latest(driver.readAggregates());
      assertThat(latest).containsOnlyKeys(new AggregateKey("by-floor", List.of("3"), BASE));
      assertThat(latest.values().iterator().next().count()).isEqualTo(3);
    }
  }

  @Test
  void recordsThatDoNotParseGoToTheDeadLetterTopicAndTheRestIsAggregated() {
    ViewDefinition view = tumbling("by-type", EmitMode.UPDATES, "type");
    EnrichedEvent good = event("temp", "dev-1", BASE + 1_000, 1.0);
    Event ok = good.event();
    List<byte[]> bad = new ArrayList<>();
    bad.add("not json".getBytes(StandardCharsets.UTF_8));
    bad.add("null".getBytes(StandardCharsets.UTF_8));
    bad.add("{\"reference\":{}}".getBytes(StandardCharsets.UTF_8));
    bad.add(json(withType(ok, null)));
    bad.add(json(withTimes(ok, null, ok.ingestTime())));
    bad.add(json(withTimes(ok, -1L, ok.ingestTime())));
    bad.add(json(withTimes(ok, ok.ingestTime() + Duration.ofHours(2).toMillis(), ok.ingestTime())));
    bad.add(json(withTimes(ok, ok.time(), null)));
    bad.add(null);

    try (AggregateDriver driver = new AggregateDriver(view)) {
      driver.send(good);
      bad.forEach(value -> driver.sendRaw("dev-x", value));
      driver.send(event("temp", "dev-2", BASE + 2_000, 2.0));

      List<TestRecord<String, byte[]>> dead = driver.deadLetters.readRecordsToList();
      assertThat(dead).hasSize(bad.size());
      for (int i = 0; i < dead.size(); i++) {
        TestRecord<String, byte[]> record = dead.get(i);
        assertThat(record.key()).isEqualTo("dev-x");
        assertThat(record.value()).isEqualTo(bad.get(i));
        assertThat(DeadLetters.header(record.headers(), DeadLetters.STAGE)).isEqualTo("aggregate");
        assertThat(DeadLetters.header(record.headers(), DeadLetters.ERROR_CLASS)).isNotBlank();
        assertThat(DeadLetters.header(record.headers(), DeadLetters.ORIGIN_TOPIC))
            .isEqualTo(driver.topics.eventsEnriched().name());
        // The good record came first, at offset 0.
        assertThat(DeadLetters.header(record.headers(), DeadLetters.ORIGIN_OFFSET))
            .isEqualTo(Long.toString(i + 1));
      }
      assertThat(DeadLetters.header(dead.get(0).headers(), DeadLetters.ERROR_CLASS))
          .startsWith("tools.jackson");
      assertThat(DeadLetters.header(dead.get(3).headers(), DeadLetters.ERROR_MESSAGE))
          .contains("type");
      assertThat(driver.listener.deadLetterErrors)
          .hasSize(bad.size())
          .allMatch(error -> error.startsWith("aggregate:"));

      Map<AggregateKey, WindowAggregate> latest =
          AggregateDriver.latest(driver.readAggregates());
      assertThat(latest.get(new AggregateKey("by-type", List.of("temp"), BASE)).count())
          .isEqualTo(2);
    }
  }

  @Test
  void aggregatesOfOneGroupArePartitionedTogetherWhateverTheirWindow() {
    ViewDefinition view = tumbling("by-source", EmitMode.UPDATES, "type", "source");
    try (AggregateDriver driver = new AggregateDriver(view)) {
      List<String> sources = List.of("dev-1", "dev-2", "dev-3", "dev-4", "dev-5");
      for (int window = 0; window < 4; window++) {
        for (String source : sources) {
          driver.send(event("temp", source, BASE + window * MINUTE.toMillis(), 1.0));
        }
      }
      List<WindowAggregate> emitted = driver.readAggregates();
      int partitions = 6;
      var partitioner = AggregatePartitioner.<WindowAggregate>forAggregateKeys();
      Map<List<String>, Set<Integer>> partitionsByGroup = new LinkedHashMap<>();
      Map<List<String>, Set<Long>> windowsByGroup = new LinkedHashMap<>();
      for (WindowAggregate aggregate : emitted) {
        AggregateKey key = aggregate.key();
        Set<Integer> chosen = partitioner.partitions("t", key, aggregate, partitions).orElseThrow();
        partitionsByGroup.computeIfAbsent(key.group(), g -> new HashSet<>()).addAll(chosen);
        windowsByGroup.computeIfAbsent(key.group(), g -> new TreeSet<>()).add(key.windowStart());
        assertThat(chosen)
            .containsExactly(
                AggregatePartitioner.partition(
                    view.name(), new GroupKey(key.group()).encode(), partitions));
      }
      assertThat(partitionsByGroup).hasSize(sources.size());
      assertThat(windowsByGroup.values()).allSatisfy(windows -> assertThat(windows).hasSize(4));
      assertThat(partitionsByGroup.values()).allSatisfy(p -> assertThat(p).hasSize(1));
    }
  }

  @Test
  void twoViewsRunSideBySideWithTheirOwnGroupsStoresAndTopics() {
    ViewDefinition bySource = tumbling("by-source", EmitMode.UPDATES, "type", "source");
    ViewDefinition byType = tumbling("by-type", EmitMode.UPDATES, "type");
    List<EnrichedEvent> events =
        List.of(
            event("temp", "dev-1", BASE + 1_000, 1.0),
            event("temp", "dev-2", BASE + 2_000, 2.0),
            event("hum", "dev-1", BASE + 3_000, 3.0),
            event("temp", "dev-1", BASE + 4_000, 4.0));
    try (AggregateDriver driver = new AggregateDriver(bySource, byType)) {
      events.forEach(driver::send);
      Map<AggregateKey, WindowAggregate> latest =
          AggregateDriver.latest(driver.readAggregates());
      for (ViewDefinition view : List.of(bySource, byType)) {
        Map<AggregateKey, Expected> expected = expectedTumbling(view, events);
        Map<AggregateKey, WindowAggregate> ofView =
            latest.entrySet().stream()
                .filter(e -> e.getKey().view().equals(view.name()))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        assertThat(ofView.keySet()).isEqualTo(expected.keySet());
        expected.forEach((key, exp) -> exp.assertMatches(ofView.get(key)));
      }
      assertThat(driver.driver.getAllStateStores().keySet())
          .containsExactlyInAnyOrder("view-by-source-store", "view-by-type-store");
      assertThat(repartitionTopics(driver.topology.describe()))
          .containsExactlyInAnyOrder(
              "view-by-source-by-group-repartition", "view-by-type-by-group-repartition");
    }
  }

  @Test
  void aBuilderConfiguredLikeTheServicesRejectsUnnamedInternalResources() {
    Properties props = AggregateDriver.properties(Path.of("unused"));
    StreamsBuilder builder = new StreamsBuilder(new TopologyConfig(new StreamsConfig(props)));
    builder.stream("in", Consumed.with(Serdes.String(), Serdes.String())).groupByKey().count();
    assertThatThrownBy(() -> builder.build(props))
        .isInstanceOf(TopologyException.class)
        .hasMessageContaining("has not been named");
  }

  private static List<WindowAggregate> byView(List<WindowAggregate> aggregates, String view) {
    return aggregates.stream().filter(a -> a.view().equals(view)).toList();
  }

  private static Set<String> repartitionTopics(TopologyDescription description) {
    Set<String> topics = new HashSet<>();
    for (TopologyDescription.Subtopology subtopology : description.subtopologies()) {
      for (TopologyDescription.Node node : subtopology.nodes()) {
        if (node instanceof TopologyDescription.Sink sink
            && sink.topic().endsWith("-repartition")) {
          topics.add(sink.topic());
        }
      }
    }
    return topics;
  }

  private static byte[] json(EnrichedEvent enriched) {
    return Json.write(enriched);
  }

  private static EnrichedEvent withType(Event e, String type) {
    return new EnrichedEvent(
        new Event(e.eventId(), e.source(), type, e.time(), e.value(), null, e.ingestTime()), null);
  }

  private static EnrichedEvent withTimes(Event e, Long time, Long ingestTime) {
    return new EnrichedEvent(
        new Event(e.eventId(), e.source(), e.type(), time, e.value(), null, ingestTime), null);
  }

  /** The expected aggregates of a tumbling view, computed directly from the events. */
  static Map<AggregateKey, Expected> expectedTumbling(
      ViewDefinition view, List<EnrichedEvent> events) {
    long size = view.window().size().toMillis();
    Map<AggregateKey, Expected> expected = new LinkedHashMap<>();
    for (EnrichedEvent enriched : events) {
      List<String> group =
          view.fieldPaths().stream().map(path -> path.resolve(enriched)).toList();
      long time = enriched.event().time();
      long start = time - Math.floorMod(time, size);
      expected
          .computeIfAbsent(
              new AggregateKey(view.name(), group, start),
              key -> new Expected(view, key, start + size))
          .events
          .add(enriched.event());
    }
    return expected;
  }

  /** An oracle for one window: what its aggregate must say about its events. */
  static final class Expected {
    final ViewDefinition view;
    final AggregateKey key;
    final long windowEnd;
    final List<Event> events = new ArrayList<>();

    Expected(ViewDefinition view, AggregateKey key, long windowEnd) {
      this.view = view;
      this.key = key;
      this.windowEnd = windowEnd;
    }

    void assertMatches(WindowAggregate actual) {
      assertThat(actual).isNotNull();
      assertThat(actual.view()).isEqualTo(view.name());
      assertThat(actual.windowStart()).isEqualTo(key.windowStart());
      assertThat(actual.windowEnd()).isEqualTo(windowEnd);
      Map<String, String> group = new LinkedHashMap<>();
      List<FieldPath> paths = view.fieldPaths();
      for (int i = 0; i < paths.size(); i++) {
        group.put(paths.get(i).path(), key.group().get(i));
      }
      assertThat(actual.group()).containsExactlyEntriesOf(group);
      assertCounts(actual);
    }

    void assertCounts(WindowAggregate actual) {
      List<Double> values = events.stream().map(Event::value).filter(Objects::nonNull).toList();
      // Added in arrival order, as the aggregate does (a stream sum would compensate).
      double sum = 0.0;
      for (double value : values) {
        sum += value;
      }
      assertThat(actual.count()).isEqualTo(events.size());
      assertThat(actual.valueCount()).isEqualTo(values.size());
      assertThat(actual.sum()).isEqualTo(sum);
      assertThat(actual.min()).isEqualTo(values.stream().min(Double::compare).orElse(null));
      assertThat(actual.max()).isEqualTo(values.stream().max(Double::compare).orElse(null));
      assertThat(actual.mean()).isEqualTo(values.isEmpty() ? null : sum / values.size());
      assertThat(actual.firstEventTime())
          .isEqualTo(events.stream().mapToLong(Event::time).min().orElseThrow());
      assertThat(actual.lastEventTime())
          .isEqualTo(events.stream().mapToLong(Event::time).max().orElseThrow());
      assertThat(actual.lastIngestTime())
          .isEqualTo(events.stream().mapToLong(Event::ingestTime).max().orElseThrow());
    }
  }
}
