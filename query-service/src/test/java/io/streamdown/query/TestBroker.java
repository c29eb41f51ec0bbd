package io.streamdown.query;

import static org.awaitility.Awaitility.await;

import io.streamdown.schemas.TopicCatalog;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * A real single-node broker in the test's JVM, with every topic of a catalog created, that has
 * taken a write before a test gets it.
 */
public final class TestBroker {

  private static final String PROBE_TOPIC = "test-broker-probe";

  private TestBroker() {}

  /** Starts the broker; the caller destroys it. */
  public static EmbeddedKafkaKraftBroker start(int partitions, TopicCatalog topics) {
    EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, partitions);
    broker.brokerProperties(
        Map.of(
            // One broker: the internal topics cannot have more replicas.
            "transaction.state.log.replication.factor", "1",
            "transaction.state.log.min.isr", "1",
            "offsets.topic.replication.factor", "1",
            "group.initial.rebalance.delay.ms", "0"));
    broker.afterPropertiesSet();
    broker.addTopics(
        topics.newTopics(partitions, Optional.of((short) 1)).toArray(NewTopic[]::new));
    broker.addTopics(new NewTopic(PROBE_TOPIC, 1, (short) 1));
    awaitWritable(broker.getBrokersAsString());
    return broker;
  }

  /**
   * Until an idempotent write is acknowledged by all replicas. A test that writes the moment the
   * broker is up has seen its records expire unsent (delivery timeout, two minutes) while the
   * broker had just started, and then timed out waiting for what they should have done; each
   * probe is a new producer with short timeouts, so a stalled start costs a probe, not the test.
   */
  private static void awaitWritable(String bootstrap) {
    await("the broker acknowledges a write")
        .atMost(Duration.ofMinutes(3))
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(500))
        .until(() -> probe(bootstrap));
  }

  private static boolean probe(String bootstrap) throws InterruptedException {
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>(PROBE_TOPIC, new byte[0])).get(15, TimeUnit.SECONDS);
      return true;
    } catch (ExecutionException | TimeoutException | KafkaException e) {
      return false;
    }
  }
}
