package io.streamdown.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalKafkaBrokerIT {

  private static final String TOPIC = "broker-it";

  @TempDir Path dataDir;

  @Test
  void keepsTopicsAndRecordsAcrossARestartOnTheSameDirectory() throws Exception {
    int[] ports = PortCheck.freePorts(2);
    String value = "kept-" + System.nanoTime();
    RecordMetadata written;

    try (LocalKafkaBroker broker = LocalKafkaBroker.start(dataDir, ports[0], ports[1])) {
      assertThat(broker.formattedOnStart()).isTrue();
      assertThat(dataDir.resolve("meta.properties")).exists();
      assertThat(broker.bootstrapServers()).isEqualTo("localhost:" + ports[0]);
      try (Admin admin = admin(broker)) {
        admin
            .createTopics(List.of(new NewTopic(TOPIC, Optional.of(3), Optional.of((short) 1))))
            .all()
            .get(30, TimeUnit.SECONDS);
      }
      try (KafkaProducer<String, String> producer = producer(broker)) {
        written =
            producer.send(new ProducerRecord<>(TOPIC, "key", value)).get(30, TimeUnit.SECONDS);
      }
      assertThat(readAll(broker)).extracting(ConsumerRecord::value).containsExactly(value);
    }
    assertThat(PortCheck.isFree(ports[0])).as("client port released after close").isTrue();

    try (LocalKafkaBroker restarted = LocalKafkaBroker.start(dataDir, ports[0], ports[1])) {
      assertThat(restarted.formattedOnStart()).isFalse();
      try (Admin admin = admin(restarted)) {
        Set<String> topics = admin.listTopics().names().get(30, TimeUnit.SECONDS);
        assertThat(topics).contains(TOPIC);
      }
      List<ConsumerRecord<String, String>> records = readAll(restarted);
      assertThat(records).hasSize(1);
      assertThat(records.get(0).value()).isEqualTo(value);
      assertThat(records.get(0).partition()).isEqualTo(written.partition());
      assertThat(records.get(0).offset()).isEqualTo(written.offset());
    }
  }

  @Test
  void restartsInPlaceAndClientsCarryOn() throws Exception {
    int[] ports = PortCheck.freePorts(2);
    try (LocalKafkaBroker broker = LocalKafkaBroker.start(dataDir, ports[0], ports[1]);
        KafkaProducer<String, String> producer = producer(broker)) {
      try (Admin admin = admin(broker)) {
        admin
            .createTopics(List.of(new NewTopic(TOPIC, Optional.of(3), Optional.of((short) 1))))
            .all()
            .get(30, TimeUnit.SECONDS);
      }
      producer.send(new ProducerRecord<>(TOPIC, "key", "before")).get(30, TimeUnit.SECONDS);

      Duration took = broker.restart(Duration.ofMillis(500));

      assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(500));
      assertThat(broker.bootstrapServers()).isEqualTo("localhost:" + ports[0]);
      assertThat(PortCheck.isFree(ports[0])).as("listening again").isFalse();
      // The producer created before the restart reconnects by itself.
      producer.send(new ProducerRecord<>(TOPIC, "key", "after")).get(60, TimeUnit.SECONDS);
      List<String> values = new ArrayList<>();
      Awaitility.await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                values.clear();
                readAll(broker).forEach(r -> values.add(r.value()));
                assertThat(values).containsExactly("before", "after");
              });
    }
    assertThat(PortCheck.isFree(ports[0])).as("client port released after close").isTrue();
  }

  private static Admin admin(LocalKafkaBroker broker) {
    return Admin.create(
        Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
  }

  private static KafkaProducer<String, String> producer(LocalKafkaBroker broker) {
    Properties properties = new Properties();
    properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    properties.put(ProducerConfig.ACKS_CONFIG, "all");
    return new KafkaProducer<>(properties, new StringSerializer(), new StringSerializer());
  }

  /** Reads the topic from the beginning with a fresh group until at least one record came. */
  private static List<ConsumerRecord<String, String>> readAll(LocalKafkaBroker broker) {
    Properties properties = new Properties();
    properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    properties.put(ConsumerConfig.GROUP_ID_CONFIG, "broker-it-" + System.nanoTime());
    properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<ConsumerRecord<String, String>> records = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(properties, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of(TOPIC));
      Awaitility.await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
                return !records.isEmpty();
              });
    }
    return records;
  }
}
