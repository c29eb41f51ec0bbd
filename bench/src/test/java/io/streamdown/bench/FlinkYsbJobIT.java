package io.streamdown.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamdown.local.LocalKafkaBroker;
import io.streamdown.local.PortCheck;
import io.streamdown.local.TopicSetup;
import io.streamdown.schemas.Json;
import io.streamdown.schemas.Reference;
import io.streamdown.schemas.TopicCatalog;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * W5's Flink side end to end at a small size: a real broker with Streamdown's topics, the YSB
 * reference data as ingest writes it, events before the backlog that must not count, a backlog
 * written as W5 writes it, and the job in its child JVM ({@link FlinkPeer}, from {@code
 * bench-flink/target}): it reads exactly the backlog and its cells equal the offline count.
 */
class FlinkYsbJobIT {

  private static final long EVENTS = 3_000;

  @TempDir Path data;

  @Test
  void theJobCountsExactlyTheBacklogLikeTheOfflineCount() throws Exception {
    Path home = Path.of(System.getProperty("streamdown.home", "..")).toAbsolutePath().normalize();
    int[] ports = PortCheck.freePorts(2);
    try (LocalKafkaBroker broker =
        LocalKafkaBroker.start(data.resolve("kafka"), ports[0], ports[1])) {
      String bootstrap = broker.bootstrapServers();
      TopicCatalog topics = TopicCatalog.withDefaultPrefix();
      TopicSetup.ensureTopics(bootstrap, topics, 6);
      Ysb ysb = new Ysb(99);
      writeReferences(bootstrap, topics.reference().name(), ysb);
      long firstEventTime = BenchMain.w5FirstEventTime(System.currentTimeMillis());

      try (YsbBacklog backlog = new YsbBacklog(bootstrap, topics.eventsRaw().name())) {
        // Earlier events in other windows: the job starts after them.
        backlog.write(
            ysb, 700, firstEventTime - 3_600_000, Duration.ofSeconds(30), new YsbCounts(), l -> {});
        Map<Integer, Long> start = backlog.endOffsets();
        YsbCounts expected = new YsbCounts();
        backlog.write(ysb, EVENTS, firstEventTime, BenchMain.W5_EVENT_TIME_SPAN, expected, l -> {});

        FlinkPeer.Result result =
            FlinkPeer.run(
                home,
                List.of(),
                bootstrap,
                topics.eventsRaw().name(),
                topics.reference().name(),
                start,
                EVENTS,
                data.resolve("flink"),
                Duration.ofMinutes(3),
                System.out::println);

        Map<YsbCounts.Cell, Long> offline = expected.snapshot();
        assertThat(result.records()).isEqualTo(EVENTS);
        assertThat(FlinkPeer.mismatches(offline, result.cells(), 10)).isEmpty();
        assertThat(result.cells()).isEqualTo(offline);
        assertThat(offline.keySet().stream().map(YsbCounts.Cell::windowStart).distinct())
            .hasSize(3);
        assertThat(result.seconds()).isPositive();

        // The comparison is not vacuous: one event more in one cell is a mismatch.
        Map<YsbCounts.Cell, Long> wrong = new TreeMap<>(offline);
        YsbCounts.Cell first = wrong.keySet().iterator().next();
        wrong.merge(first, 1L, Long::sum);
        assertThat(FlinkPeer.mismatches(wrong, result.cells(), 10)).hasSize(1);
      }
    }
  }

  /** Every ad's campaign, as ingest writes a reference upsert (key = ad, Reference JSON). */
  private static void writeReferences(String bootstrap, String topic, Ysb ysb) throws Exception {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
      for (int i = 0; i < ysb.ads().size(); i++) {
        String ad = ysb.ads().get(i);
        Reference reference =
            new Reference(
                ad, Map.of("campaign_id", ysb.campaignOfAd(i)), System.currentTimeMillis());
        producer.send(new ProducerRecord<>(topic, ad, Json.write(reference)));
      }
      producer.flush();
    }
  }
}
