package io.streamdown.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.streamdown.enrich.config.EnrichSettings;
import io.streamdown.enrich.config.EnrichStreamsConfiguration;
import io.streamdown.enrich.streams.DedupeFilterMemory;
import io.streamdown.enrich.streams.EnrichTopology;
import io.streamdown.schemas.TopicCatalog;
import java.time.Duration;
import java.util.HashSet;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.kafka.streams.KafkaStreamsMicrometerListener;
import org.springframework.util.unit.DataSize;

/**
 * The Spring wiring, without a broker: the Streams client is not started, but the settings, the
 * shared configuration and the topology the service would run are all checked.
 */
@SpringBootTest(
    webEnvironment = SpringBootTest.WebEnvironment.NONE,
    properties = {
      "spring.kafka.streams.auto-startup=false",
      "streamdown.enrich.dedupe-horizon=5m",
      "streamdown.enrich.dedupe-filter-memory=8MB",
      "streamdown.enrich.reference-cache=250"
    })
class EnrichApplicationTest {

  @Autowired private StreamsBuilderFactoryBean factoryBean;
  @Autowired private EnrichSettings settings;
  @Autowired private TopicCatalog topics;
  @Autowired private MeterRegistry registry;
  @Autowired private DedupeFilterMemory filterMemory;

  @Test
  void settingsBindWithDefaultsAndOverrides() {
    assertThat(settings.dedupeHorizon()).isEqualTo(Duration.ofMinutes(5));
    assertThat(settings.referenceHistory()).isEqualTo(EnrichSettings.DEFAULT_REFERENCE_HISTORY);
    assertThat(settings.dedupeFilterMemory()).isEqualTo(DataSize.ofMegabytes(8));
    assertThat(settings.referenceWait()).isEqualTo(EnrichSettings.DEFAULT_REFERENCE_WAIT);
    assertThat(settings.referenceCache()).isEqualTo(250);
    assertThat(topics.prefix()).isEqualTo(TopicCatalog.DEFAULT_PREFIX);
  }

  @Test
  void streamsRunWithTheSharedSettings() {
    Properties config = factoryBean.getStreamsConfiguration();
    assertThat(config.get(StreamsConfig.APPLICATION_ID_CONFIG)).isEqualTo("streamdown-enrich");
    assertThat(config.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG))
        .isEqualTo(StreamsConfig.EXACTLY_ONCE_V2);
    assertThat(String.valueOf(
            config.get(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG)))
        .isEqualTo("true");
    assertThat(factoryBean.getListeners())
        .hasAtLeastOneElementOfType(KafkaStreamsMicrometerListener.class);
    // A thread commits only between polls: a poll that blocks for long delays every commit that
    // falls due while the thread waits for input (streamdown-streams.yml).
    StreamsConfig effective = new StreamsConfig(config);
    assertThat(effective.getLong(StreamsConfig.POLL_MS_CONFIG) * 5)
        .isLessThanOrEqualTo(effective.getLong(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG));
  }

  @Test
  void theManagedBuilderHoldsTheEnrichTopology() throws Exception {
    Properties config = factoryBean.getStreamsConfiguration();
    Topology topology = factoryBean.getObject().build(config);

    Set<String> stores = new HashSet<>();
    for (TopologyDescription.Subtopology subtopology : topology.describe().subtopologies()) {
      for (TopologyDescription.Node node : subtopology.nodes()) {
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
  }

  @Test
  void outcomeCountersExistFromTheStart() {
    for (String outcome : new String[] {"matched", "unmatched", "duplicate"}) {
      assertThat(registry.find("streamdown.enrich.events").tag("outcome", outcome).counter())
          .isNotNull();
    }
  }

  @Test
  void theFilterMemoryIsWatchedAgainstItsLimit() {
    assertThat(filterMemory.limitBytes()).isEqualTo(DataSize.ofMegabytes(8).toBytes());
    assertThat(registry.find(EnrichStreamsConfiguration.FILTER_METER).gauge())
        .isNotNull()
        .satisfies(gauge -> assertThat(gauge.value()).isZero());
  }
}
