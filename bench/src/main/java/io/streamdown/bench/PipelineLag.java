package io.streamdown.bench;

import io.streamdown.schemas.TopicCatalog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * The consumer lag of the pipeline's Kafka Streams applications (enrich, aggregate, query), from
 * their committed offsets and the log end offsets of every partition they consume, repartition
 * topics included. A pipeline has caught up when every lag is (about) zero: with exactly-once, a
 * partition may end in one transaction marker that no consumer position passes.
 */
public final class PipelineLag implements AutoCloseable {

  private static final Duration TOPIC_VISIBLE_WITHIN = Duration.ofSeconds(30);

  public static final String ENRICH = "streamdown-enrich";
  public static final String AGGREGATE = "streamdown-aggregate";
  public static final String QUERY = "streamdown-query";

  private final Admin admin;

  public PipelineLag(String bootstrap) {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    this.admin = Admin.create(props);
  }

  /**
   * Lag per group of the pipeline over every partition of its input topics (see {@link
   * #lag(String, List)}): enrich reads {@code events.raw} and {@code reference}, aggregate {@code
   * events.enriched} and its repartition topics, query {@code aggregates}.
   */
  public Map<String, Long> lag(TopicCatalog topics) {
    Map<String, Long> lags = new LinkedHashMap<>();
    lags.put(ENRICH, lag(ENRICH, List.of(topics.eventsRaw().name(), topics.reference().name())));
    lags.put(AGGREGATE, lag(AGGREGATE, aggregateInput(topics)));
    lags.put(QUERY, lag(QUERY, List.of(topics.aggregates().name())));
    return lags;
  }

  /** Aggregate's input: {@code events.enriched} and the repartition topic of every view. */
  public List<String> aggregateInput(TopicCatalog topics) {
    List<String> input = new ArrayList<>(topics(AGGREGATE + "-", "-repartition"));
    input.add(topics.eventsEnriched().name());
    return input;
  }

  /**
   * A consumer group's lag over every partition of {@code topics}, one trailing transaction marker
   * per partition aside: with exactly-once, a partition may end in a marker that no consumer
   * position passes. A partition the group has not committed on yet counts from its earliest
   * offset: a group that has committed on some partitions only is not done.
   */
  public long lag(String group, List<String> topics) {
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
    await(admin.describeTopics(topics).allTopicNames(), "describe " + topics)
        .forEach(
            (name, description) ->
                description
                    .partitions()
                    .forEach(
                        p -> {
                          TopicPartition tp = new TopicPartition(name, p.partition());
                          latest.put(tp, OffsetSpec.latest());
                          earliest.put(tp, OffsetSpec.earliest());
                        }));
    Map<TopicPartition, OffsetAndMetadata> committed =
        await(
            admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata(),
            "read the offsets of " + group);
    var ends = await(admin.listOffsets(latest).all(), "read end offsets");
    var starts = await(admin.listOffsets(earliest).all(), "read start offsets");
    long lag = 0;
    for (TopicPartition tp : latest.keySet()) {
      OffsetAndMetadata done = committed.get(tp);
      long from = done != null ? done.offset() : starts.get(tp).offset();
      lag += Math.max(0, ends.get(tp).offset() - from - 1);
    }
    return lag;
  }

  /** The existing topics whose names start with {@code prefix} and end with {@code suffix}. */
  public List<String> topics(String prefix, String suffix) {
    return await(admin.listTopics().names(), "list the topics").stream()
        .filter(name -> name.startsWith(prefix) && name.endsWith(suffix))
        .sorted()
        .toList();
  }

  public static long total(Collection<Long> lags) {
    return lags.stream().mapToLong(Long::longValue).sum();
  }

  /** The offsets in an existing topic: the sum of its partitions' end offsets. */
  public long endOffsets(String topic) {
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    for (int p = 0; p < partitions(topic); p++) {
      latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
    }
    return await(admin.listOffsets(latest).all(), "read the end offsets of " + topic)
        .values()
        .stream()
        .mapToLong(info -> info.offset())
        .sum();
  }

  /** The number of partitions of an existing topic. */
  public int partitions(String topic) {
    return await(admin.describeTopics(List.of(topic)).allTopicNames(), "describe " + topic)
        .get(topic)
        .partitions()
        .size();
  }

  /**
   * Creates a plain topic (for W0 and the Camel peer), if it does not exist, and returns once the
   * broker describes it. The creation returns when the controller has the topic; the broker's
   * metadata follows moments later, and a describe in between fails with "unknown topic" (it did
   * once, on a busy machine, right after the creation).
   */
  public void createTopic(String name, int partitions) {
    if (!await(admin.listTopics().names(), "list the topics").contains(name)) {
      await(
          admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all(),
          "create " + name);
    }
    long deadline = System.nanoTime() + TOPIC_VISIBLE_WITHIN.toNanos();
    while (true) {
      try {
        partitions(name);
        return;
      } catch (IllegalStateException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException)
            || System.nanoTime() > deadline) {
          throw e;
        }
      }
      try {
        Thread.sleep(50); // polling the broker's metadata, within the deadline above
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for " + name, e);
      }
    }
  }

  private static <T> T await(KafkaFuture<T> future, String what) {
    try {
      return future.get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot " + what, e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    admin.close();
  }
}
