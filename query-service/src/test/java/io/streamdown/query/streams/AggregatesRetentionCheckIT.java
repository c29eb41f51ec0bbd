package io.streamdown.query.streams;

import static io.streamdown.query.streams.ViewsOutlivingAggregatesTest.keeping;
import static org.assertj.core.api.Assertions.assertThat;

import io.streamdown.query.TestBroker;
import io.streamdown.schemas.TopicCatalog;
import io.streamdown.schemas.ViewDefinition;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * Which views outlive {@code aggregates} is decided by the retention the broker has for it, which
 * an operator may have changed since the topic was created; against a real broker.
 */
class AggregatesRetentionCheckIT {

  private static final TopicCatalog TOPICS = new TopicCatalog("retention.");
  private static final List<ViewDefinition> VIEWS =
      List.of(
          keeping("a-day", Duration.ofDays(1)),
          keeping("two-days", Duration.ofDays(2)),
          keeping("a-week", Duration.ofDays(7)),
          keeping("a-month", Duration.ofDays(30)));

  private static EmbeddedKafkaKraftBroker broker;

  @BeforeAll
  static void startBroker() {
    broker = TestBroker.start(1, TOPICS);
  }

  @AfterAll
  static void stopBroker() {
    broker.destroy();
  }

  @Test
  void theBrokersRetentionDecides() throws Exception {
    Map<String, Object> admin =
        Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString());
    // As created (7 days): only the month outlives it.
    assertThat(new AggregatesRetentionCheck(VIEWS, TOPICS.aggregates(), admin).check())
        .extracting(ViewDefinition::name)
        .containsExactly("a-month");

    // An operator shortens the topic's retention to a day.
    ConfigResource topic =
        new ConfigResource(ConfigResource.Type.TOPIC, TOPICS.aggregates().name());
    ConfigEntry aDay = new ConfigEntry("retention.ms", Long.toString(Duration.ofDays(1).toMillis()));
    try (Admin client = Admin.create(admin)) {
      client
          .incrementalAlterConfigs(
              Map.of(topic, List.of(new AlterConfigOp(aDay, AlterConfigOp.OpType.SET))))
          .all()
          .get();
    }

    assertThat(new AggregatesRetentionCheck(VIEWS, TOPICS.aggregates(), admin).check())
        .extracting(ViewDefinition::name)
        .containsExactly("two-days", "a-week", "a-month");
  }

  @Test
  void withoutTheBrokerTheRetentionAsCreatedStandsIn() {
    Map<String, Object> nowhere =
        Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:1",
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2_000,
            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 1_000);
    assertThat(
            new AggregatesRetentionCheck(VIEWS, TOPICS.aggregates(), nowhere, Duration.ofSeconds(2))
                .check())
        .extracting(ViewDefinition::name)
        .containsExactly("a-month");
    assertThat(new AggregatesRetentionCheck(VIEWS, TOPICS.aggregates(), Map.of()).check())
        .extracting(ViewDefinition::name)
        .containsExactly("a-month");
  }
}
