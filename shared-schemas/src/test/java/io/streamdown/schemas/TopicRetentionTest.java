package io.streamdown.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How long a topic keeps records, from its configs as created or as the broker describes them. */
class TopicRetentionTest {

  @Test
  void aDeletingTopicKeepsRecordsForItsRetention() {
    assertThat(Topic.retention(Map.of("cleanup.policy", "delete", "retention.ms", "3600000")))
        .contains(Duration.ofHours(1));
    assertThat(Topic.retention(Map.of("cleanup.policy", "compact,delete", "retention.ms", "60000")))
        .contains(Duration.ofMinutes(1));
    // Kafka's default policy deletes.
    assertThat(Topic.retention(Map.of("retention.ms", "1000"))).contains(Duration.ofSeconds(1));
    assertThat(TopicCatalog.withDefaultPrefix().aggregates().retention())
        .contains(Duration.ofDays(7));
  }

  @Test
  void aTopicThatDeletesNothingByTimeHasNoRetention() {
    assertThat(Topic.retention(Map.of("cleanup.policy", "compact", "retention.ms", "1000")))
        .isEmpty();
    assertThat(Topic.retention(Map.of("cleanup.policy", "delete", "retention.ms", "-1")))
        .isEmpty();
    assertThat(Topic.retention(Map.of("cleanup.policy", "delete"))).isEmpty();
    assertThat(TopicCatalog.withDefaultPrefix().reference().retention()).isEmpty();
  }
}
