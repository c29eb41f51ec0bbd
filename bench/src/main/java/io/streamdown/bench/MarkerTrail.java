package io.streamdown.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Where W3's freshness goes: when each marker event ({@code marker-<n>}, in a record's key or
 * value) first becomes readable on each hop of the pipeline, read as the next stage reads it
 * ({@code read_committed}, so a record counts once its transaction committed). A hop is one or
 * more topics (a marker's group goes through the repartition topic of every view that keys it),
 * and the first sighting on any of them counts. One consumer, without a group, reads every
 * partition from the end it had when the trail started, on a thread of its own.
 */
final class MarkerTrail implements AutoCloseable {

  /**
   * A hop: its name in the report, its topics, and whether a marker may skip it (a view's
   * repartition topic, which the view that keys {@code events.enriched} does without).
   */
  record Hop(String name, List<String> topics, boolean optional) {

    /** A hop every marker passes. */
    Hop(String name, List<String> topics) {
      this(name, topics, false);
    }
  }

  private static final byte[] MARKER = "marker-".getBytes(StandardCharsets.US_ASCII);

  private final List<Hop> hops;
  private final KafkaConsumer<byte[], byte[]> consumer;
  // Filled before the thread starts and only read after: no concurrent access.
  private final Map<String, Integer> hopOfTopic = new HashMap<>();
  private final Map<String, long[]> firstSeen = new ConcurrentHashMap<>();
  private final Thread thread;
  private volatile boolean running = true;

  private MarkerTrail(String bootstrap, List<Hop> hops) {
    this.hops = List.copyOf(hops);
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "bench-w3-marker-trail");
    consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> partitions = new ArrayList<>();
    for (int h = 0; h < hops.size(); h++) {
      for (String topic : hops.get(h).topics()) {
        hopOfTopic.put(topic, h);
        for (PartitionInfo info : consumer.partitionsFor(topic)) {
          partitions.add(new TopicPartition(topic, info.partition()));
        }
      }
    }
    consumer.assign(partitions);
    consumer.seekToEnd(partitions);
    // Resolve the end positions now: a marker posted after start() must not be missed.
    partitions.forEach(consumer::position);
    thread = new Thread(this::run, "w3-marker-trail");
    thread.setDaemon(true);
  }

  /**
   * The hops that have topics. A topology whose views need no repartition topic has no
   * repartition hop, and a marker can never be seen on a hop without topics, which would leave
   * every marker out of the step table.
   */
  static List<Hop> withTopics(List<Hop> hops) {
    return hops.stream().filter(hop -> !hop.topics().isEmpty()).toList();
  }

  /** Starts reading {@code hops} (in pipeline order) from their current ends. */
  static MarkerTrail start(String bootstrap, List<Hop> hops) {
    MarkerTrail trail = new MarkerTrail(bootstrap, hops);
    trail.thread.start();
    return trail;
  }

  List<Hop> hops() {
    return hops;
  }

  /** {@link System#nanoTime()} of the marker's first sighting per hop; 0 where not seen yet. */
  long[] seen(String marker) {
    long[] seen = firstSeen.get(marker);
    if (seen == null) {
      return new long[hops.size()];
    }
    synchronized (seen) {
      return seen.clone();
    }
  }

  /** Whether the marker has been read on the last hop. */
  boolean seenOnLastHop(String marker) {
    return seen(marker)[hops.size() - 1] != 0;
  }

  private void run() {
    try {
      while (running) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
          long now = System.nanoTime();
          String marker = markerIn(record.key());
          if (marker == null) {
            marker = markerIn(record.value());
          }
          if (marker != null) {
            int hop = hopOfTopic.get(record.topic());
            long[] seen = firstSeen.computeIfAbsent(marker, m -> new long[hops.size()]);
            synchronized (seen) {
              if (seen[hop] == 0) {
                seen[hop] = now;
              }
            }
          }
        }
      }
    } catch (WakeupException e) {
      // closing
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  /** The first {@code marker-<digits>} in {@code bytes}, or null. */
  static String markerIn(byte[] bytes) {
    if (bytes == null) {
      return null;
    }
    outer:
    for (int i = 0; i + MARKER.length < bytes.length; i++) {
      for (int j = 0; j < MARKER.length; j++) {
        if (bytes[i + j] != MARKER[j]) {
          continue outer;
        }
      }
      int end = i + MARKER.length;
      while (end < bytes.length && bytes[end] >= '0' && bytes[end] <= '9') {
        end++;
      }
      if (end > i + MARKER.length) {
        return new String(bytes, i, end - i, StandardCharsets.US_ASCII);
      }
    }
    return null;
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
