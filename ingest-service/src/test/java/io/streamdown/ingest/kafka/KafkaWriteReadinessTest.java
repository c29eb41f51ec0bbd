package io.streamdown.ingest.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.kafka.mock.MockProducerFactory;

class KafkaWriteReadinessTest {

  private static final Node BROKER = new Node(0, "localhost", 9092);

  private final AtomicReference<Cluster> cluster = new AtomicReference<>(clusterWith("events"));

  private final MockProducerFactory<byte[], byte[]> factory =
      new MockProducerFactory<>(
          () ->
              new MockProducer<>(
                  cluster.get(), true, null, new ByteArraySerializer(), new ByteArraySerializer()));

  private static Cluster clusterWith(String... topics) {
    List<PartitionInfo> partitions =
        java.util.Arrays.stream(topics)
            .flatMap(
                topic ->
                    java.util.stream.IntStream.range(0, 3)
                        .mapToObj(
                            p ->
                                new PartitionInfo(
                                    topic, p, BROKER, new Node[] {BROKER}, new Node[] {BROKER})))
            .toList();
    return new Cluster("c", List.of(BROKER), partitions, Set.of(), Set.of());
  }

  @Test
  void outOfServiceWhileATopicIsUnknownThenUpForGood() {
    KafkaWriteReadiness readiness = new KafkaWriteReadiness(factory, List.of("events", "reference"));

    Health before = readiness.health();
    assertThat(before.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
    assertThat(before.getDetails()).containsEntry("missingTopic", "reference");

    cluster.set(clusterWith("events", "reference"));
    Health after = readiness.health();
    assertThat(after.getStatus()).isEqualTo(Status.UP);
    assertThat(after.getDetails()).containsEntry("partitions", 6);

    // Fetched once is enough: later metadata problems are answered per request.
    cluster.set(clusterWith());
    assertThat(readiness.health().getStatus()).isEqualTo(Status.UP);
  }
}
