package io.streamdown.query.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamdown.query.Aggregates;
import io.streamdown.query.QueryDriver;
import io.streamdown.query.TestBroker;
import io.streamdown.query.TestViews;
import io.streamdown.schemas.GroupKey;
import io.streamdown.schemas.Json;
import io.streamdown.schemas.TopicCatalog;
import io.streamdown.schemas.WindowAggregate;
import io.streamdown.support.DeadLetterListener;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * Query's view stores write no changelog; against a real broker, a task whose local state is
 * gone gets them back by replaying {@code aggregates} (QueryTopology, "The view stores write no
 * changelog").
 */
class AggregatesReplayIT {

  private static final int PARTITIONS = 2;
  private static final TopicCatalog TOPICS = new TopicCatalog("replay.");
  private static final String APPLICATION = "streamdown-query-replay";
  private static final long T0 = Instant.parse("2025-03-01T10:00:00Z").toEpochMilli();
  private static final long MINUTE = 60_000;
  private static final int GROUPS = 100;
  private static final Duration DEADLINE = Duration.ofSeconds(90);

  private static EmbeddedKafkaKraftBroker broker;

  @TempDir Path stateDir;

  private KafkaStreams streams;
  private final Map<String, AtomicLong> restored = new ConcurrentHashMap<>();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();

  @BeforeAll
  static void startBroker() {
    broker = TestBroker.start(PARTITIONS, TOPICS);
  }

  @AfterAll
  static void stopBroker() {
    broker.destroy();
  }

  @AfterEach
  void stopStreams() {
    if (streams != null) {
      streams.close(Duration.ofSeconds(30));
    }
  }

  @Test
  void aTaskWhoseStateIsGoneRebuildsItsViewStoresFromAggregates() throws Exception {
    // Two windows of every group, each group's second window updated once, some deleted.
    List<Future<RecordMetadata>> sent = new ArrayList<>();
    try (KafkaProducer<String, byte[]> producer = producer()) {
      for (int i = 0; i < GROUPS; i++) {
        sent.add(send(producer, i, T0, 1));
        sent.add(send(producer, i, T0 + MINUTE, 1));
        sent.add(send(producer, i, T0 + MINUTE, i + 2));
        if (i % 10 == 0) {
          sent.add(delete(producer, i, T0));
        }
      }
      acknowledged(sent);
    }
    Map<String, Long> expected = expectedWindows();

    streams = start();
    await("the stream thread stores every window")
        .atMost(DEADLINE)
        .ignoreException(InvalidStateStoreException.class)
        .untilAsserted(() -> assertStored(expected));
    streams.close(Duration.ofSeconds(30));
    // The local state goes, as on a new machine or after a crash under exactly-once.
    streams.cleanUp();
    restored.clear();

    streams = start();
    await("running again")
        .atMost(DEADLINE)
        .until(() -> streams.state() == KafkaStreams.State.RUNNING);
    // Committed offsets are at the end of `aggregates`, so processing reads nothing again: what
    // the stores hold now came back through the replay.
    await("the replayed windows")
        .atMost(DEADLINE)
        .ignoreException(InvalidStateStoreException.class)
        .untilAsserted(() -> assertStored(expected));
    assertThat(restored.getOrDefault(QueryTopology.REPLAY_STORE, new AtomicLong()).get())
        .isEqualTo(GROUPS * 3 + GROUPS / 10);
    assertThat(restored.keySet())
        .containsOnly(QueryTopology.REPLAY_STORE, QueryTopology.LATEST_WINDOW_STORE);

    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()))) {
      Set<String> changelogs =
          admin.listTopics().names().get().stream()
              .filter(topic -> topic.startsWith(APPLICATION + "-"))
              .collect(Collectors.toCollection(TreeSet::new));
      assertThat(changelogs)
          .containsExactly(APPLICATION + "-" + QueryTopology.LATEST_WINDOW_STORE + "-changelog");
    }

    // And the stream thread goes on from where it was.
    try (KafkaProducer<String, byte[]> producer = producer()) {
      acknowledged(List.of(send(producer, 1, T0 + 2 * MINUTE, 9)));
    }
    expected.put(GroupKey.of("temp", "dev-1").encode() + "@" + (T0 + 2 * MINUTE), 9L);
    await("a new window")
        .atMost(DEADLINE)
        .ignoreException(InvalidStateStoreException.class)
        .untilAsserted(() -> assertStored(expected));
  }

  private static List<String> group(int i) {
    return List.of("temp", "dev-" + i);
  }

  /** What the records above leave: per group, window → count. */
  private static Map<String, Long> expectedWindows() {
    Map<String, Long> windows = new HashMap<>();
    for (int i = 0; i < GROUPS; i++) {
      String group = GroupKey.of("temp", "dev-" + i).encode();
      if (i % 10 != 0) {
        windows.put(group + "@" + T0, 1L);
      }
      windows.put(group + "@" + (T0 + MINUTE), (long) i + 2);
    }
    return windows;
  }

  /**
   * The local stores answer with exactly these windows; says in which state the client is and
   * which windows are missing or extra when they do not.
   */
  private void assertStored(Map<String, Long> expected) {
    if (failure.get() != null) {
      throw new AssertionError("a stream thread died", failure.get());
    }
    KafkaStreams.State state = streams.state();
    assertThat(state).as("the client's state").isEqualTo(KafkaStreams.State.RUNNING);
    assertThat(stored())
        .as("the windows in state %s", state)
        .containsExactlyInAnyOrderEntriesOf(expected);
  }

  /** Every window the local stores answer with, as "group@start" → count. */
  private Map<String, Long> stored() {
    ReadOnlyWindowStore<String, WindowAggregate> store =
        streams.store(
            StoreQueryParameters.fromNameAndType(
                QueryTopology.windowStoreName(TestViews.BY_SOURCE.name()),
                QueryableStoreTypes.<String, WindowAggregate>windowStore()));
    Map<String, Long> windows = new HashMap<>();
    try (var all = store.all()) {
      all.forEachRemaining(
          kv -> windows.put(kv.key.key() + "@" + kv.key.window().start(), kv.value.count()));
    }
    return windows;
  }

  private KafkaStreams start() {
    Properties props = QueryDriver.properties(stateDir);
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, APPLICATION);
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString());
    props.put(StreamsConfig.consumerPrefix("session.timeout.ms"), 6_000);
    KafkaStreams client =
        new KafkaStreams(
            QueryTopology.build(
                TestViews.ALL,
                TOPICS,
                QueryStoreListener.NONE,
                DeadLetterListener.NONE,
                new TopologyConfig(new StreamsConfig(props))),
            props);
    client.setGlobalStateRestoreListener(new CountingRestoreListener());
    client.setUncaughtExceptionHandler(
        exception -> {
          failure.compareAndSet(null, exception);
          return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
    client.start();
    return client;
  }

  private KafkaProducer<String, byte[]> producer() {
    return new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString(),
            ProducerConfig.ACKS_CONFIG, "all"),
        new StringSerializer(),
        new ByteArraySerializer());
  }

  /**
   * Every record was written, or the test says why not (a lost write would otherwise look like a
   * window the stores lost).
   */
  private static void acknowledged(List<Future<RecordMetadata>> sent) throws Exception {
    for (Future<RecordMetadata> future : sent) {
      future.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
    }
  }

  /** The aggregate of group {@code i}'s window at {@code start}, counting {@code count}. */
  private static Future<RecordMetadata> send(
      KafkaProducer<String, byte[]> producer, int i, long start, int count) {
    WindowAggregate aggregate = Aggregates.withCount(TestViews.BY_SOURCE, group(i), start, count);
    return producer.send(
        new ProducerRecord<>(
            TOPICS.aggregates().name(),
            i % PARTITIONS,
            Aggregates.keyText(aggregate),
            Json.write(aggregate)));
  }

  /** The tombstone of group {@code i}'s window at {@code start}. */
  private static Future<RecordMetadata> delete(
      KafkaProducer<String, byte[]> producer, int i, long start) {
    return producer.send(
        new ProducerRecord<>(
            TOPICS.aggregates().name(),
            i % PARTITIONS,
            Aggregates.keyText(TestViews.BY_SOURCE.name(), group(i), start),
            null));
  }

  private final class CountingRestoreListener implements StateRestoreListener {
    @Override
    public void onRestoreStart(TopicPartition partition, String store, long start, long end) {}

    @Override
    public void onBatchRestored(TopicPartition partition, String store, long end, long count) {
      restored.computeIfAbsent(store, s -> new AtomicLong()).addAndGet(count);
    }

    @Override
    public void onRestoreEnd(TopicPartition partition, String store, long total) {}
  }
}
