package io.streamdown.bench;

import io.streamdown.schemas.Event;
import io.streamdown.schemas.Json;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * W5's backlog: YSB events written straight to the stack's raw events topic, in transactions of
 * {@link #EVENTS_PER_TRANSACTION} as ingest writes its batches (the same {@code Event} JSON, key =
 * source, timestamp = ingest time), plus the offsets that delimit it and that the two engines'
 * progress is read from.
 */
final class YsbBacklog implements AutoCloseable {

  static final int EVENTS_PER_TRANSACTION = 500;

  private final String bootstrap;
  private final String topic;
  private final Admin admin;

  YsbBacklog(String bootstrap, String topic) {
    this.bootstrap = bootstrap;
    this.topic = topic;
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    this.admin = Admin.create(props);
  }

  /** The topic's last stable offset per partition: where a read_committed reader would stop. */
  Map<Integer, Long> endOffsets() {
    try {
      int partitions =
          admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
      Map<TopicPartition, OffsetSpec> specs = new HashMap<>();
      for (int p = 0; p < partitions; p++) {
        specs.put(new TopicPartition(topic, p), OffsetSpec.latest());
      }
      Map<Integer, Long> ends = new HashMap<>();
      admin
          .listOffsets(specs, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
          .all()
          .get()
          .forEach((tp, info) -> ends.put(tp.partition(), info.offset()));
      return ends;
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot read the end offsets of " + topic, e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The committed offsets of a consumer group on this topic, by partition. */
  Map<Integer, Long> committed(String group) {
    try {
      Map<Integer, Long> offsets = new HashMap<>();
      for (Map.Entry<TopicPartition, OffsetAndMetadata> entry :
          admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().entrySet()) {
        if (entry.getKey().topic().equals(topic) && entry.getValue() != null) {
          offsets.put(entry.getKey().partition(), entry.getValue().offset());
        }
      }
      return offsets;
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot read the offsets of " + group, e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Offsets from {@code from} to {@code to}, summed over the partitions (markers included). */
  static long span(Map<Integer, Long> from, Map<Integer, Long> to) {
    long sum = 0;
    for (Map.Entry<Integer, Long> end : to.entrySet()) {
      sum += Math.max(0, end.getValue() - from.getOrDefault(end.getKey(), end.getValue()));
    }
    return sum;
  }

  /**
   * Writes {@code events} YSB events whose event times run evenly from {@code firstEventTime} over
   * {@code eventTimeSpan}, and counts them into {@code counts}.
   */
  void write(
      Ysb ysb,
      long events,
      long firstEventTime,
      Duration eventTimeSpan,
      YsbCounts counts,
      Consumer<String> progress) {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "bench-w5-backlog-" + UUID.randomUUID());
    props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, 128 * 1024);
    long spanMillis = eventTimeSpan.toMillis();
    long lastReport = System.nanoTime();
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
      producer.initTransactions();
      for (long i = 0; i < events; i++) {
        if (i % EVENTS_PER_TRANSACTION == 0) {
          producer.beginTransaction();
        }
        Ysb.YsbEvent generated = ysb.next(firstEventTime + i * spanMillis / events);
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("user_id", generated.userId());
        attributes.put("page_id", generated.pageId());
        attributes.put("ad_type", generated.adType());
        attributes.put("ip_address", generated.ipAddress());
        long ingestTime = System.currentTimeMillis();
        Event event =
            new Event(
                generated.eventId(),
                generated.adId(),
                generated.eventType(),
                generated.eventTime(),
                null,
                attributes,
                ingestTime);
        producer.send(
            new ProducerRecord<>(topic, null, ingestTime, event.source(), Json.write(event)));
        counts.add(generated);
        if ((i + 1) % EVENTS_PER_TRANSACTION == 0 || i + 1 == events) {
          producer.commitTransaction();
        }
        if (System.nanoTime() - lastReport > 5_000_000_000L) {
          progress.accept(
              String.format(java.util.Locale.ROOT, "  %,d of %,d written", i + 1, events));
          lastReport = System.nanoTime();
        }
      }
    }
  }

  @Override
  public void close() {
    admin.close();
  }
}
