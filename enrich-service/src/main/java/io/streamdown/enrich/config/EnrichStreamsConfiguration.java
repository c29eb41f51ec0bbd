package io.streamdown.enrich.config;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.streamdown.enrich.metrics.MicrometerEnrichListener;
import io.streamdown.enrich.streams.DedupeFilterMemory;
import io.streamdown.enrich.streams.EnrichListener;
import io.streamdown.enrich.streams.EnrichTopology;
import io.streamdown.schemas.EnrichedEvent;
import io.streamdown.schemas.TopicCatalog;
import io.streamdown.support.DeadLetterListener;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.KStream;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the enrich topology into the {@link StreamsBuilder} that Spring's Kafka Streams support
 * manages, with the metrics listeners.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({
  EnrichSettings.class,
  TopicSettings.class,
  EnrichedKeySettings.class
})
public class EnrichStreamsConfiguration {

  public static final String FILTER_METER = "streamdown.enrich.dedupe.filter";

  @Bean
  TopicCatalog topicCatalog(TopicSettings settings) {
    return settings.catalog();
  }

  @Bean
  EnrichListener enrichListener(MeterRegistry registry) {
    return new MicrometerEnrichListener(registry);
  }

  /** The heap of the de-duplication filters, watched as {@value #FILTER_METER}. */
  @Bean
  DedupeFilterMemory dedupeFilterMemory(EnrichSettings settings, MeterRegistry registry) {
    DedupeFilterMemory memory = DedupeFilterMemory.of(settings);
    Gauge.builder(FILTER_METER, memory, DedupeFilterMemory::usedBytes)
        .description(
            "Heap taken by the Bloom filters in front of the de-duplication store (at most"
                + " streamdown.enrich.dedupe-filter-memory)")
        .baseUnit("bytes")
        .register(registry);
    return memory;
  }

  @Bean
  KStream<String, EnrichedEvent> enrichedEvents(
      StreamsBuilder builder,
      TopicCatalog topics,
      EnrichSettings settings,
      EnrichedKeySettings keySettings,
      EnrichListener listener,
      DeadLetterListener deadLetters,
      DedupeFilterMemory filterMemory) {
    return EnrichTopology.addTo(
        builder, topics, settings, keySettings.keying(), listener, deadLetters, filterMemory);
  }
}
