package io.streamdown.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamdown.local.LocalKafkaBroker;
import io.streamdown.local.PortCheck;
import io.streamdown.local.TopicSetup;
import io.streamdown.schemas.Json;
import io.streamdown.schemas.Reference;
import io.streamdown.schemas.TopicCatalog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
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
        backlog.write(ysb, EVENTS, firstEventTime, BenchOptions.DEFAULT_W5_SPAN, expected, l -> {});

        Set<String> rpcJarsBefore = flinkRpcJarsInTheMachinesTempDir();
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
        // Where the events went, before the cells: a count that differs then says why.
        assertThat(result.records()).as(result.accounting()).isEqualTo(EVENTS);
        assertThat(result.references()).as(result.accounting()).isEqualTo(ysb.ads().size());
        assertThat(result.unjoined()).as(result.accounting()).isZero();
        assertThat(result.late()).as(result.accounting()).isZero();
        assertThat(FlinkPeer.mismatches(offline, result.cells(), 10))
            .as(result.accounting())
            .isEmpty();
        assertThat(result.cells()).isEqualTo(offline);
        assertThat(offline.keySet().stream().map(YsbCounts.Cell::windowStart).distinct())
            .hasSize(3);
        assertThat(result.seconds()).isPositive();
        // Flink unpacked its RPC system into the job's own temporary directory, which is gone,
        // not into the machine's, where every run used to leave a jar of about 21 MB.
        assertThat(FlinkPeer.tempDir(data.resolve("flink"))).doesNotExist();
        assertThat(flinkRpcJarsInTheMachinesTempDir()).isSubsetOf(rpcJarsBefore);

        // The comparison is not vacuous: one event more in one cell is a mismatch.
        Map<YsbCounts.Cell, Long> wrong = new TreeMap<>(offline);
        YsbCounts.Cell first = wrong.keySet().iterator().next();
        wrong.merge(first, 1L, Long::sum);
        assertThat(FlinkPeer.mismatches(wrong, result.cells(), 10)).hasSize(1);
      }
    }
  }

  private static Set<String> flinkRpcJarsInTheMachinesTempDir() throws IOException {
    try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      return files
          .map(f -> f.getFileName().toString())
          .filter(n -> n.startsWith("flink-rpc"))
          .collect(Collectors.toSet());
    }
  }

  /**
   * Every ad's campaign, as ingest writes a reference upsert (key = ad, Reference JSON), until a
   * read of the whole topic finds every ad: the job's reference side must be complete, or the
   * events of a missing ad would rightly go uncounted.
   *
   * <p>The topic is brand new, and on a loaded machine the first batches can reach the broker
   * before it leads the new partitions. Seen in a build: the batch with sequence 0 was refused
   * ({@code NOT_LEADER_OR_FOLLOWER}) while the partition's next batch (sequence 6) was appended,
   * and the broker then refused the retried first batch as out of order every second until the
   * send timed out; another time the first two references of one partition were never written.
   * So every round has a producer of its own (a new producer id, no sequence to trip on) with a
   * short delivery timeout, and whatever a read of the topic does not find is written again.
   */
  private static void writeReferences(String bootstrap, String topic, Ysb ysb) throws Exception {
    Map<String, String> campaignOfAd = new TreeMap<>();
    for (int i = 0; i < ysb.ads().size(); i++) {
      campaignOfAd.put(ysb.ads().get(i), ysb.campaignOfAd(i));
    }
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 15_000);
    Set<String> missing = new TreeSet<>(campaignOfAd.keySet());
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    for (int round = 1; !missing.isEmpty(); round++) {
      assertThat(System.nanoTime())
          .as("references still missing after writing them %d times: %s", round - 1, missing)
          .isLessThan(deadline);
      if (round > 1) {
        System.out.println("writing " + missing.size() + " references again: " + missing);
      }
      try (KafkaProducer<String, byte[]> producer =
          new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
        Map<String, Future<RecordMetadata>> sends = new TreeMap<>();
        for (String ad : missing) {
          Reference reference =
              new Reference(
                  ad, Map.of("campaign_id", campaignOfAd.get(ad)), System.currentTimeMillis());
          sends.put(ad, producer.send(new ProducerRecord<>(topic, ad, Json.write(reference))));
        }
        producer.flush();
        for (Map.Entry<String, Future<RecordMetadata>> send : sends.entrySet()) {
          try {
            send.getValue().get();
          } catch (ExecutionException e) {
            System.out.println("reference " + send.getKey() + " not written: " + e.getCause());
          }
        }
      }
      missing.removeAll(keysIn(bootstrap, topic));
    }
  }

  /** The keys of every committed record of {@code topic}, read from the start to its end. */
  private static Set<String> keysIn(String bootstrap, String topic) {
    return TopicContents.read(bootstrap, topic, Duration.ofSeconds(60)).stream()
        .map(ConsumerRecord::key)
        .collect(Collectors.toCollection(TreeSet::new));
  }
}
