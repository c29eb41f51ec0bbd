package io.streamdown.query;

import io.streamdown.schemas.TopicCatalog;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/** A real single-node broker in the test's JVM, with every topic of a catalog created. */
public final class TestBroker {

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
    return broker;
  }
}
