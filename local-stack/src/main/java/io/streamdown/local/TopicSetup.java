package io.streamdown.local;

import io.streamdown.schemas.TopicCatalog;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates the pipeline's topics (from {@link TopicCatalog}, the only place their names are spelled)
 * and leaves existing ones alone, so a restart over kept data is a no-op.
 */
public final class TopicSetup {

  private TopicSetup() {}

  /**
   * Creates every topic of {@code catalog} with {@code partitions} partitions and replication
   * factor 1 that does not exist yet.
   *
   * @return the names of the topics created now; empty if all existed
   */
  public static List<String> ensureTopics(
      String bootstrapServers, TopicCatalog catalog, int partitions) {
    return ensureTopics(bootstrapServers, catalog.newTopics(partitions, Optional.of((short) 1)));
  }

  /** Creates the topics that do not exist yet and returns their names. */
  public static List<String> ensureTopics(String bootstrapServers, List<NewTopic> topics) {
    Properties properties = new Properties();
    properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    try (Admin admin = Admin.create(properties)) {
      Map<String, KafkaFuture<Void>> results = admin.createTopics(topics).values();
      List<String> created = new ArrayList<>();
      for (Map.Entry<String, KafkaFuture<Void>> result : results.entrySet()) {
        try {
          result.getValue().get(30, TimeUnit.SECONDS);
          created.add(result.getKey());
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw new StackException(
                "cannot create topic " + result.getKey() + ": " + e.getCause(), e.getCause());
          }
        } catch (TimeoutException e) {
          throw new StackException("timed out creating topic " + result.getKey(), e);
        }
      }
      return created;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StackException("interrupted while creating topics", e);
    }
  }
}
