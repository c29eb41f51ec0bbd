package io.streamdown.aggregate;

import io.streamdown.schemas.AggregatePartitioner;
import io.streamdown.schemas.EnrichedEvent;
import io.streamdown.schemas.EnrichedKeying;
import io.streamdown.schemas.Json;
import io.streamdown.schemas.TopicCatalog;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** The broker tests' clients and records of {@code events.enriched} as enrich writes them. */
final class EnrichedRecords {

  private EnrichedRecords() {}

  /**
   * An event as enrich writes it by default: keyed by its group in the keying view, in that
   * group's partition, marked with the header.
   */
  static ProducerRecord<String, byte[]> keyedByEnrich(
      TopicCatalog topics,
      EnrichedKeying keying,
      EnrichedEvent event,
      int partitions,
      long timestamp) {
    String group = keying.groupKeyOf(event);
    ProducerRecord<String, byte[]> record =
        new ProducerRecord<>(
            topics.eventsEnriched().name(),
            AggregatePartitioner.partition(keying.view().name(), group, partitions),
            timestamp,
            group,
            Json.write(event));
    keying.mark(record.headers());
    return record;
  }

  /** An event as enrich wrote it keyed by source (a version or setting without the keying). */
  static ProducerRecord<String, byte[]> keyedBySource(
      TopicCatalog topics, EnrichedEvent event, long timestamp) {
    return new ProducerRecord<>(
        topics.eventsEnriched().name(),
        null,
        timestamp,
        event.event().source(),
        Json.write(event));
  }

  static KafkaProducer<String, byte[]> producer(String bootstrap) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
  }

  /** A consumer of every partition of {@code topic}, from the start, committed records only. */
  static KafkaConsumer<byte[], byte[]> consumerFromStart(
      String bootstrap, String topic, int partitions) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> assigned = new ArrayList<>();
    for (int p = 0; p < partitions; p++) {
      assigned.add(new TopicPartition(topic, p));
    }
    consumer.assign(assigned);
    consumer.seekToBeginning(assigned);
    return consumer;
  }
}
