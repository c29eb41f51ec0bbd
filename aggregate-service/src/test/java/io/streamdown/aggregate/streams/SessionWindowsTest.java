package io.streamdown.aggregate.streams;

import static io.streamdown.aggregate.streams.AggregateDriver.BASE;
import static io.streamdown.aggregate.streams.AggregateDriver.event;
import static org.assertj.core.api.Assertions.assertThat;

import io.streamdown.schemas.AggregateKey;
import io.streamdown.schemas.EmitMode;
import io.streamdown.schemas.EnrichedEvent;
import io.streamdown.schemas.GroupKey;
import io.streamdown.schemas.ViewDefinition;
import io.streamdown.schemas.WindowAggregate;
import io.streamdown.schemas.WindowSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.SessionStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Session views: a session starts with an event, grows with events within the gap, merges with
 * its neighbour when an event bridges them, and closes after gap + grace. The aggregates topic
 * read in order (tombstones delete) always holds exactly the sessions of the store.
 */
class SessionWindowsTest {

  private static final Duration GAP = Duration.ofSeconds(30);
  private static final Duration GRACE = Duration.ofSeconds(60);
  private static final String VIEW = "sessions";

  private static ViewDefinition sessions(EmitMode emit) {
    return new ViewDefinition(
        VIEW, List.of("type", "source"), WindowSpec.session(GAP), GRACE, emit, null);
  }

  private static AggregateKey key(String source, long start) {
    return new AggregateKey(VIEW, List.of("temp", source), start);
  }

  /** Applies the aggregates topic as a compacting reader would: a tombstone deletes its key. */
  private static final class Replica {
    final Map<AggregateKey, WindowAggregate> sessions = new LinkedHashMap<>();
    final List<AggregateKey> tombstones = new ArrayList<>();

    void apply(List<KeyValue<AggregateKey, WindowAggregate>> records) {
      for (KeyValue<AggregateKey, WindowAggregate> record : records) {
        if (record.value == null) {
          tombstones.add(record.key);
          sessions.remove(record.key);
        } else {
          assertThat(record.value.key()).isEqualTo(record.key);
          sessions.put(record.key, record.value);
        }
      }
    }
  }

  private static List<Long> storedSessions(AggregateDriver driver, String source) {
    SessionStore<String, WindowAggregate> store =
        driver.driver.getSessionStore(new ViewNames(VIEW).store());
    List<Long> bounds = new ArrayList<>();
    try (KeyValueIterator<Windowed<String>, WindowAggregate> all =
        store.fetch(GroupKey.of("temp", source).encode())) {
      while (all.hasNext()) {
        Windowed<String> window = all.next().key;
        bounds.add(window.window().start() - BASE);
        bounds.add(window.window().end() - BASE);
      }
    }
    return bounds;
  }

  @ParameterizedTest(name = "record cache {0} bytes")
  @ValueSource(longs = {0L, 10_485_760L})
  void sessionIsCreatedExtendedAndMergedAndTheTopicNeverKeepsASupersededSession(long cache) {
    try (AggregateDriver driver =
        new AggregateDriver(
            Map.of(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, cache),
            sessions(EmitMode.UPDATES))) {
      Replica replica = new Replica();

      driver.send(event("temp", "a", BASE, 1.0));
      replica.apply(driver.output.readKeyValuesToList());
      assertThat(replica.sessions).containsOnlyKeys(key("a", BASE));
      WindowAggregate created = replica.sessions.get(key("a", BASE));
      assertThat(created.windowStart()).isEqualTo(BASE);
      assertThat(created.windowEnd()).isEqualTo(BASE);
      assertThat(created.count()).isEqualTo(1);

      // Within the gap: the session grows; its start, and so its key, stays.
      driver.send(event("temp", "a", BASE + 20_000, 3.0));
      replica.apply(driver.output.readKeyValuesToList());
      assertThat(replica.sessions).containsOnlyKeys(key("a", BASE));
      assertThat(replica.sessions.get(key("a", BASE)).windowEnd()).isEqualTo(BASE + 20_000);
      assertThat(replica.sessions.get(key("a", BASE)).count()).isEqualTo(2);

      // More than the gap after the last event: a second session.
      driver.send(event("temp", "a", BASE + 70_000, 8.0));
      replica.apply(driver.output.readKeyValuesToList());
      assertThat(replica.sessions).containsOnlyKeys(key("a", BASE), key("a", BASE + 70_000));
      assertThat(storedSessions(driver, "a")).containsExactly(0L, 20_000L, 70_000L, 70_000L);
      int tombstonesBefore = replica.tombstones.size();

      // An out-of-order event within grace, less than the gap from both: one merged session.
      driver.send(event("temp", "a", BASE + 45_000, 4.0));
      List<KeyValue<AggregateKey, WindowAggregate>> mergeRecords =
          driver.output.readKeyValuesToList();
      replica.apply(mergeRecords);
      assertThat(replica.tombstones.subList(tombstonesBefore, replica.tombstones.size()))
          .containsExactlyInAnyOrder(key("a", BASE), key("a", BASE + 70_000));
      // The merged session comes after the tombstones, so a reader ends up holding it.
      assertThat(mergeRecords.get(mergeRecords.size() - 1).value).isNotNull();
      assertThat(replica.sessions).containsOnlyKeys(key("a", BASE));
      WindowAggregate merged = replica.sessions.get(key("a", BASE));
      assertThat(merged.windowStart()).isEqualTo(BASE);
      assertThat(merged.windowEnd()).isEqualTo(BASE + 70_000);
      assertThat(merged.count()).isEqualTo(4);
      assertThat(merged.sum()).isEqualTo(1.0 + 3.0 + 8.0 + 4.0);
      assertThat(merged.min()).isEqualTo(1.0);
      assertThat(merged.max()).isEqualTo(8.0);
      assertThat(merged.group()).containsEntry("type", "temp").containsEntry("source", "a");
      assertThat(merged.quantile(0.5)).isCloseTo(3.0, org.assertj.core.data.Offset.offset(0.03));
      assertThat(storedSessions(driver, "a")).containsExactly(0L, 70_000L);
      assertThat(driver.listener.retracted.get(VIEW)).isEqualTo(replica.tombstones.size());
    }
  }

  @Test
  void lateEventsAreCountedWithKafkasRuleIncludingOldEventsThatJoinAnOpenSession() {
    try (AggregateDriver driver = new AggregateDriver(sessions(EmitMode.UPDATES))) {
      driver.send(event("temp", "a", BASE, 1.0));
      driver.send(event("temp", "a", BASE + 200_000, 1.0));
      // Stream time 280 s: close time 280 s - grace - gap = 190 s.
      driver.send(event("temp", "b", BASE + 280_000, 1.0));
      // Before the close time, but within the gap of the open session [200 s, 200 s]: joins it.
      driver.send(event("temp", "a", BASE + 175_000, 1.0));
      assertThat(driver.listener.lateCount(VIEW)).isZero();
      assertThat(storedSessions(driver, "a")).containsExactly(0L, 0L, 175_000L, 200_000L);
      // Before the close time and near no open session: dropped.
      driver.send(event("temp", "a", BASE + 120_000, 1.0));
      // Within the gap of the session [0, 0], which closed: dropped.
      driver.send(event("temp", "a", BASE + 10_000, 1.0));
      assertThat(driver.listener.lateCount(VIEW)).isEqualTo(2);
      assertThat(storedSessions(driver, "a")).containsExactly(0L, 0L, 175_000L, 200_000L);
      assertThat(driver.kafkaDroppedRecords()).isEqualTo(2.0);
    }
  }

  @Test
  void lateCountMatchesKafkasDropsOverAnOutOfOrderStream() {
    Random random = new Random(7);
    int events = 400;
    try (AggregateDriver driver = new AggregateDriver(sessions(EmitMode.UPDATES))) {
      Replica replica = new Replica();
      long streamTime = BASE;
      for (int i = 0; i < events; i++) {
        streamTime += random.nextInt(8_000);
        long time = streamTime - random.nextInt(120_000);
        driver.send(event("temp", "s" + random.nextInt(3), Math.max(BASE, time), 1.0));
        replica.apply(driver.output.readKeyValuesToList());
      }
      int late = driver.listener.lateCount(VIEW);
      assertThat(late).isPositive();
      assertThat(driver.kafkaDroppedRecords()).isEqualTo((double) late);
      long aggregated = replica.sessions.values().stream().mapToLong(WindowAggregate::count).sum();
      assertThat(aggregated + late).isEqualTo(events);
      assertThat(replica.tombstones).isNotEmpty();
      // The replica holds exactly the store's sessions: nothing superseded survives.
      for (String source : List.of("s0", "s1", "s2")) {
        List<Long> fromReplica = new ArrayList<>();
        replica.sessions.values().stream()
            .filter(s -> s.group().get("source").equals(source))
            .sorted(java.util.Comparator.comparingLong(WindowAggregate::windowStart))
            .forEach(
                s -> {
                  fromReplica.add(s.windowStart() - BASE);
                  fromReplica.add(s.windowEnd() - BASE);
                });
        assertThat(fromReplica).isEqualTo(storedSessions(driver, source));
      }
    }
  }

  @Test
  void finalModeEmitsEachClosedSessionOnceAndNoTombstones() {
    try (AggregateDriver driver = new AggregateDriver(sessions(EmitMode.FINAL))) {
      driver.send(event("temp", "a", BASE, 1.0));
      driver.send(event("temp", "a", BASE + 50_000, 2.0));
      driver.send(event("temp", "a", BASE + 25_000, 3.0));
      driver.advanceWallClock(Duration.ofSeconds(2));
      // Stream time 50 s + gap + grace: the merged session [0, 50 s] could still grow.
      long closes = 50_000 + GAP.toMillis() + GRACE.toMillis();
      driver.send(event("temp", "b", BASE + closes, 1.0));
      assertThat(driver.output.readKeyValuesToList()).isEmpty();

      driver.advanceWallClock(Duration.ofSeconds(2));
      driver.send(event("temp", "b", BASE + closes + 1, 1.0));
      List<KeyValue<AggregateKey, WindowAggregate>> closed = driver.output.readKeyValuesToList();
      assertThat(closed).hasSize(1);
      assertThat(closed.get(0).key).isEqualTo(key("a", BASE));
      assertThat(closed.get(0).value.windowEnd()).isEqualTo(BASE + 50_000);
      assertThat(closed.get(0).value.count()).isEqualTo(3);
      assertThat(closed.get(0).value.sum()).isEqualTo(6.0);
    }
  }

  @Test
  void aSessionOfOneGroupNeverMergesWithAnotherGroup() {
    try (AggregateDriver driver = new AggregateDriver(sessions(EmitMode.UPDATES))) {
      Replica replica = new Replica();
      EnrichedEvent a = event("temp", "a", BASE, 1.0);
      EnrichedEvent b = event("temp", "b", BASE + 1_000, 2.0);
      driver.send(a);
      driver.send(b);
      replica.apply(driver.output.readKeyValuesToList());
      assertThat(replica.sessions).containsOnlyKeys(key("a", BASE), key("b", BASE + 1_000));
      assertThat(replica.tombstones).isEmpty();
    }
  }
}
