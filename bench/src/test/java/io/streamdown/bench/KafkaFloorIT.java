package io.streamdown.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamdown.local.LocalKafkaBroker;
import io.streamdown.local.PortCheck;
import io.streamdown.local.TopicSetup;
import io.streamdown.schemas.TopicCatalog;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * W5's floor end to end at a small size: a real broker, events before the backlog that it must
 * skip, a backlog written as W5 writes it, and the floor in its child JVM (from {@code
 * bench/target}): it reads exactly the backlog, copies every record once, and counts every one.
 */
class KafkaFloorIT {

  private static final long EVENTS = 3_000;

  @TempDir Path data;

  @Test
  void theFloorPassesAndCountsExactlyTheBacklog() throws Exception {
    Path home = Path.of(System.getProperty("streamdown.home", "..")).toAbsolutePath().normalize();
    int[] ports = PortCheck.freePorts(2);
    try (LocalKafkaBroker broker =
        LocalKafkaBroker.start(data.resolve("kafka"), ports[0], ports[1])) {
      String bootstrap = broker.bootstrapServers();
      TopicCatalog topics = TopicCatalog.withDefaultPrefix();
      TopicSetup.ensureTopics(bootstrap, topics, 6);
      String raw = topics.eventsRaw().name();
      Ysb ysb = new Ysb(7);
      long firstEventTime = BenchMain.w5FirstEventTime(System.currentTimeMillis());
      try (YsbBacklog backlog = new YsbBacklog(bootstrap, raw)) {
        backlog.write(
            ysb, 700, firstEventTime - 3_600_000, Duration.ofSeconds(30), new YsbCounts(), l -> {});
        Map<Integer, Long> start = backlog.endOffsets();
        backlog.write(ysb, EVENTS, firstEventTime, Duration.ofSeconds(30), new YsbCounts(), l -> {});
        Map<Integer, Long> end = backlog.endOffsets();

        try (KafkaFloor floor =
            KafkaFloor.start(
                home,
                List.of("-Xmx256m"),
                bootstrap,
                raw,
                start,
                topics.prefix(),
                List.of("commit.interval.ms=100"),
                data.resolve("floor"),
                System.out::println)) {
          await()
              .atMost(Duration.ofMinutes(2))
              .pollInterval(Duration.ofMillis(200))
              .untilAsserted(
                  () -> {
                    assertThat(floor.failure()).isNull();
                    assertThat(YsbBacklog.span(backlog.committed(KafkaFloor.enrichGroup()), end))
                        .isZero();
                  });
          String copy = topics.prefix() + "floor.enriched";
          assertThat(countRecords(bootstrap, copy, EVENTS)).isEqualTo(EVENTS);
          Map<String, Long> cells = latestCounts(bootstrap, topics.prefix() + "floor.counts");
          assertThat(cells.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(EVENTS);
          assertThat(cells.keySet())
              .allMatch(cell -> cell.matches("g\\d+@\\d+"))
              .hasSizeGreaterThan(KafkaFloorTopologies.GROUPS / 2);
        }
      }
    }
  }

  /** Committed records of {@code topic}, read until {@code expected} arrived or 30 s passed. */
  private static long countRecords(String bootstrap, String topic, long expected) {
    long[] count = {0};
    try (KafkaConsumer<String, byte[]> consumer =
        consumer(bootstrap, topic, org.apache.kafka.common.serialization.ByteArrayDeserializer.class)) {
      readUntil(consumer, () -> count[0] >= expected, r -> count[0]++);
      // Nothing beyond: one more poll round finds no further record.
      readUntil(consumer, () -> true, r -> count[0]++);
    }
    return count[0];
  }

  /** The last count of every cell on the counts topic, once they add up to the backlog. */
  private static Map<String, Long> latestCounts(String bootstrap, String topic) {
    Map<String, Long> cells = new HashMap<>();
    try (KafkaConsumer<String, Long> consumer =
        consumer(bootstrap, topic, LongDeserializer.class)) {
      readUntil(
          consumer,
          () -> cells.values().stream().mapToLong(Long::longValue).sum() >= EVENTS,
          r -> cells.put(r.key(), r.value()));
    }
    return cells;
  }

  private static <V> void readUntil(
      KafkaConsumer<String, V> consumer,
      java.util.function.BooleanSupplier done,
      java.util.function.Consumer<ConsumerRecord<String, V>> each) {
    long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    do {
      consumer.poll(Duration.ofMillis(500)).forEach(each);
    } while (!done.getAsBoolean() && System.nanoTime() < until);
  }

  private static <V> KafkaConsumer<String, V> consumer(
      String bootstrap, String topic, Class<?> valueDeserializer) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "floor-it-" + topic);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, valueDeserializer);
    KafkaConsumer<String, V> consumer = new KafkaConsumer<>(props);
    consumer.subscribe(List.of(topic));
    return consumer;
  }
}
