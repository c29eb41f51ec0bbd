package io.streamdown.ingest.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.kafka.mock.MockProducerFactory;

class KafkaWriteReadinessTest {

  private static final Node BROKER = new Node(0, "localhost", 9092);
  private static final Duration WITHIN = Duration.ofSeconds(10);

  private final AtomicReference<Cluster> cluster = new AtomicReference<>(clusterWith("events"));

  private final MockProducerFactory<byte[], byte[]> factory =
      new MockProducerFactory<>(
          () ->
              new MockProducer<>(
                  cluster.get(), true, null, new ByteArraySerializer(), new ByteArraySerializer()));

  private final KafkaWriteReadiness readiness =
      new KafkaWriteReadiness(factory, List.of("events", "reference"));

  @AfterEach
  void close() {
    readiness.close();
  }

  private static Cluster clusterWith(String... topics) {
    List<PartitionInfo> partitions =
        Arrays.stream(topics)
            .flatMap(
                topic ->
                    IntStream.range(0, 3)
                        .mapToObj(
                            p ->
                                new PartitionInfo(
                                    topic, p, BROKER, new Node[] {BROKER}, new Node[] {BROKER})))
            .toList();
    return new Cluster("c", List.of(BROKER), partitions, Set.of(), Set.of());
  }

  @Test
  void outOfServiceWhileATopicIsUnknownThenUpForGood() {
    // Each probe starts a fetch when none runs; the details carry the last attempt's outcome.
    await()
        .atMost(WITHIN)
        .until(
            () -> String.valueOf(readiness.health().getDetails().get("metadata")),
            metadata -> metadata.contains("reference"));
    Health before = readiness.health();
    assertThat(before.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
    assertThat(before.getDetails().get("metadata").toString())
        .isEqualTo("topic reference has no partitions");

    cluster.set(clusterWith("events", "reference"));
    await().atMost(WITHIN).until(() -> readiness.health().getStatus().equals(Status.UP));
    assertThat(readiness.health().getDetails()).containsEntry("partitions", 6);

    // Fetched once is enough: later metadata problems are answered per request.
    cluster.set(clusterWith());
    assertThat(readiness.health().getStatus()).isEqualTo(Status.UP);
  }
}
