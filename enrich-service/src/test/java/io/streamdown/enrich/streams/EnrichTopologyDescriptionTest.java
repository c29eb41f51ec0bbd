package io.streamdown.enrich.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamdown.enrich.config.EnrichSettings;
import io.streamdown.schemas.EnrichedKeying;
import io.streamdown.schemas.TopicCatalog;
import io.streamdown.schemas.ViewDefinition;
import io.streamdown.schemas.WindowSpec;
import io.streamdown.support.DeadLetterListener;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.errors.TopologyException;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The topology's shape: explicit names only, one sub-topology, the expected stores and topics. */
class EnrichTopologyDescriptionTest {

  private static final TopicCatalog TOPICS = TopicCatalog.withDefaultPrefix();

  @TempDir Path stateDir;

  @Test
  void everyNodeAndStoreIsExplicitlyNamed() {
    TopologyDescription description = describe(TOPICS);

    Set<String> stores = new HashSet<>();
    Set<String> nodes = new HashSet<>();
    for (TopologyDescription.Subtopology subtopology : description.subtopologies()) {
      for (TopologyDescription.Node node : subtopology.nodes()) {
        nodes.add(node.name());
        if (node instanceof TopologyDescription.Processor processor) {
          stores.addAll(processor.stores());
        }
      }
    }
    assertThat(stores)
        .containsExactlyInAnyOrder(
            EnrichTopology.DEDUPE_STORE,
            EnrichTopology.LEGACY_DEDUPE_STORE,
            EnrichTopology.REFERENCE_STORE,
            EnrichTopology.PENDING_STORE);
    assertThat(nodes)
        .contains(
            "raw-events",
            "reference-records",
            "raw-event-complete",
            "enrich-dedupe",
            "reference-table",
            "enrich-join-events",
            "reference-changes",
            "enrich-join-changes",
            "enrich-join-inputs",
            "enrich-join",
            "enrich-outcome",
            "enrich-origin",
            "enriched-group-key",
            "enriched-events",
            "raw-event-dead-letters",
            "reference-dead-letters")
        .noneMatch(name -> name.startsWith("KSTREAM-") || name.startsWith("KTABLE-"));
    assertThat(description.globalStores()).isEmpty();
  }

  @Test
  void eventsAndReferenceMeetInOneSubTopologyWithoutRepartitioning() {
    TopologyDescription description = describe(new TopicCatalog("test."));

    assertThat(description.subtopologies()).hasSize(1);
    TopologyDescription.Subtopology only = description.subtopologies().iterator().next();
    Set<String> sources =
        only.nodes().stream()
            .filter(TopologyDescription.Source.class::isInstance)
            .map(TopologyDescription.Source.class::cast)
            .map(TopologyDescription.Source::topicSet)
            .flatMap(Collection::stream)
            .collect(Collectors.toSet());
    Set<String> sinks =
        only.nodes().stream()
            .filter(TopologyDescription.Sink.class::isInstance)
            .map(node -> ((TopologyDescription.Sink) node).topic())
            .collect(Collectors.toSet());
    assertThat(sources).containsExactlyInAnyOrder("test.events.raw", "test.reference");
    assertThat(sinks).containsExactlyInAnyOrder("test.events.enriched", "test.events.dlq");
  }

  @Test
  void theTestConfigurationRejectsImplicitNames() {
    // Guards the test above: with this configuration an unnamed internal resource fails the build.
    Properties config = EnrichDriver.config(stateDir);
    StreamsBuilder builder = new StreamsBuilder(new TopologyConfig(new StreamsConfig(config)));
    builder
        .stream("in", Consumed.with(Serdes.String(), Serdes.String()).withName("in"))
        .groupByKey(Grouped.as("by-key"))
        .count(Named.as("count"));
    assertThatThrownBy(() -> builder.build(config))
        .isInstanceOf(TopologyException.class)
        .hasMessageContaining("has not been named");
  }

  private TopologyDescription describe(TopicCatalog topics) {
    return EnrichTopology.build(
            EnrichDriver.config(stateDir),
            topics,
            EnrichSettings.defaults(),
            EnrichedKeying.of(
                EnrichedKeying.Mode.FIRST_VIEW,
                List.of(
                    new ViewDefinition(
                        "by-type",
                        List.of("type"),
                        WindowSpec.tumbling(Duration.ofMinutes(1)),
                        null,
                        null,
                        null))),
            EnrichListener.NONE,
            DeadLetterListener.NONE)
        .describe();
  }
}
