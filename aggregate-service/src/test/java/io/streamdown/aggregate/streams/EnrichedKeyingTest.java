package io.streamdown.aggregate.streams;

import static io.streamdown.aggregate.streams.AggregateDriver.BASE;
import static io.streamdown.aggregate.streams.AggregateDriver.event;
import static org.assertj.core.api.Assertions.assertThat;

import io.streamdown.schemas.AggregateKey;
import io.streamdown.schemas.EmitMode;
import io.streamdown.schemas.EnrichedEvent;
import io.streamdown.schemas.EnrichedKeying;
import io.streamdown.schemas.ViewDefinition;
import io.streamdown.schemas.WindowAggregate;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.Test;

/**
 * The view whose groups key {@code events.enriched} ({@link EnrichedKeying}): records enrich keyed
 * by their group are aggregated without the repartition topic, every other record takes it, and
 * a group's windows hold the events of both paths.
 */
class EnrichedKeyingTest {

  private static final ViewDefinition BY_CAMPAIGN =
      AggregateTopologyTest.tumbling("by-campaign", EmitMode.UPDATES, "type", "reference.campaign_id");
  private static final ViewDefinition BY_TYPE =
      AggregateTopologyTest.tumbling("by-type", EmitMode.UPDATES, "type");
  private static final String REPARTITION = "aggregate-test-view-by-campaign-by-group-repartition";

  private static EnrichedEvent click(String source, long time, String campaign) {
    return event("click", source, time, 1.0, Map.of("campaign_id", campaign));
  }

  private static EnrichedKeying keying() {
    return EnrichedKeying.of(EnrichedKeying.Mode.FIRST_VIEW, List.of(BY_CAMPAIGN)).orElseThrow();
  }

  /** The record as enrich writes it: keyed by its group, with the header. */
  private static void sendKeyed(AggregateDriver driver, EnrichedEvent event) {
    Headers headers = new RecordHeaders();
    keying().mark(headers);
    driver.send(keying().groupKeyOf(event), event, headers);
  }

  private static long count(List<WindowAggregate> emitted, String view, String... group) {
    WindowAggregate latest =
        AggregateDriver.latest(emitted).get(new AggregateKey(view, List.of(group), BASE));
    return latest == null ? 0 : latest.count();
  }

  @Test
  void recordsKeyedByEnrichAreAggregatedWithoutTheRepartitionTopic() {
    try (AggregateDriver driver = new AggregateDriver(BY_CAMPAIGN, BY_TYPE)) {
      sendKeyed(driver, click("dev-1", BASE + 1_000, "c-1"));
      sendKeyed(driver, click("dev-2", BASE + 2_000, "c-1"));
      sendKeyed(driver, click("dev-3", BASE + 3_000, "c-2"));

      List<WindowAggregate> emitted = driver.readAggregates();
      assertThat(count(emitted, "by-campaign", "click", "c-1")).isEqualTo(2);
      assertThat(count(emitted, "by-campaign", "click", "c-2")).isEqualTo(1);
      // The other view regroups as always, and sees every event.
      assertThat(count(emitted, "by-type", "click")).isEqualTo(3);
      assertThat(driver.listener.regroupedCount("by-campaign")).isZero();
      assertThat(driver.driver.producedTopicNames())
          .doesNotContain(REPARTITION)
          .contains("aggregate-test-view-by-type-by-group-repartition");
    }
  }

  @Test
  void recordsKeyedOtherwiseTakeTheRepartitionTopicAndMeetTheKeyedOnesInOneWindow() {
    try (AggregateDriver driver = new AggregateDriver(BY_CAMPAIGN, BY_TYPE)) {
      sendKeyed(driver, click("dev-1", BASE + 1_000, "c-1"));
      // Written by a version (or setting) that keyed by source: no header.
      driver.send(click("dev-2", BASE + 2_000, "c-1"));
      // The header, but a key from another definition of the view (type only).
      Headers marked = new RecordHeaders();
      keying().mark(marked);
      driver.send("[\"click\"]", click("dev-3", BASE + 3_000, "c-1"), marked);
      // The right key, but the header names another view.
      Headers other = new RecordHeaders();
      other.add(EnrichedKeying.HEADER, "by-type".getBytes(StandardCharsets.UTF_8));
      EnrichedEvent fourth = click("dev-4", BASE + 4_000, "c-1");
      driver.send(keying().groupKeyOf(fourth), fourth, other);
      sendKeyed(driver, click("dev-5", BASE + 5_000, "c-1"));

      List<WindowAggregate> emitted = driver.readAggregates();
      assertThat(count(emitted, "by-campaign", "click", "c-1")).isEqualTo(5);
      assertThat(count(emitted, "by-type", "click")).isEqualTo(5);
      assertThat(driver.listener.regroupedCount("by-campaign")).isEqualTo(3);
      assertThat(driver.listener.regroupedCount("by-type")).isZero();
      assertThat(driver.driver.producedTopicNames()).contains(REPARTITION);
    }
  }

  @Test
  void anEventWithoutAGroupIsSkippedAndCountedAsUnkeyedNotAsRegrouped() {
    try (AggregateDriver driver = new AggregateDriver(BY_CAMPAIGN)) {
      // Unmatched: no reference data, so no campaign. Enrich leaves it keyed by source.
      driver.send(event("click", "dev-1", BASE + 1_000, 1.0, null));
      sendKeyed(driver, click("dev-2", BASE + 2_000, "c-1"));

      assertThat(count(driver.readAggregates(), "by-campaign", "click", "c-1")).isEqualTo(1);
      assertThat(driver.listener.unkeyedCount("by-campaign")).isEqualTo(1);
      assertThat(driver.listener.regroupedCount("by-campaign")).isZero();
    }
  }

  @Test
  void keyedBySourceEveryViewRegroupsEvenMarkedRecords() {
    try (AggregateDriver driver =
        new AggregateDriver(EnrichedKeying.Mode.SOURCE, BY_CAMPAIGN, BY_TYPE)) {
      sendKeyed(driver, click("dev-1", BASE + 1_000, "c-1"));

      assertThat(count(driver.readAggregates(), "by-campaign", "click", "c-1")).isEqualTo(1);
      assertThat(driver.driver.producedTopicNames()).contains(REPARTITION);
      assertThat(storeSources(driver.topology.describe(), "view-by-campaign-store"))
          .containsExactly(REPARTITION_SOURCE);
    }
  }

  private static final String REPARTITION_SOURCE = "view-by-campaign-by-group-repartition";

  @Test
  void theKeyedViewsStoreReadsEventsEnrichedAndItsRepartitionTopicWhileOthersReadTheirsOnly() {
    try (AggregateDriver driver = new AggregateDriver(BY_CAMPAIGN, BY_TYPE)) {
      TopologyDescription description = driver.topology.describe();
      assertThat(storeSources(description, "view-by-campaign-store"))
          .containsExactlyInAnyOrder(
              driver.topics.eventsEnriched().name(), REPARTITION_SOURCE);
      assertThat(storeSources(description, "view-by-type-store"))
          .containsExactly("view-by-type-by-group-repartition");
    }
  }

  /** The source topics of the sub-topology that holds {@code store}. */
  private static Set<String> storeSources(TopologyDescription description, String store) {
    for (TopologyDescription.Subtopology subtopology : description.subtopologies()) {
      boolean holds =
          subtopology.nodes().stream()
              .anyMatch(
                  node ->
                      node instanceof TopologyDescription.Processor processor
                          && processor.stores().contains(store));
      if (holds) {
        return subtopology.nodes().stream()
            .filter(TopologyDescription.Source.class::isInstance)
            .flatMap(node -> ((TopologyDescription.Source) node).topicSet().stream())
            .collect(Collectors.toSet());
      }
    }
    throw new AssertionError("no sub-topology holds " + store);
  }
}
