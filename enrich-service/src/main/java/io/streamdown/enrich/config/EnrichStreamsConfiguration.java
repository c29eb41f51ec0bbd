package io.streamdown.enrich.config;

import io.micrometer.core.instrument.MeterRegistry;
import io.streamdown.enrich.metrics.MicrometerEnrichListener;
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
@EnableConfigurationProperties({EnrichSettings.class, TopicSettings.class})
public class EnrichStreamsConfiguration {

  @Bean
  TopicCatalog topicCatalog(TopicSettings settings) {
    return settings.catalog();
  }

  @Bean
  EnrichListener enrichListener(MeterRegistry registry) {
    return new MicrometerEnrichListener(registry);
  }

  @Bean
  KStream<String, EnrichedEvent> enrichedEvents(
      StreamsBuilder builder,
      TopicCatalog topics,
      EnrichSettings settings,
      EnrichListener listener,
      DeadLetterListener deadLetters) {
    return EnrichTopology.addTo(builder, topics, settings, listener, deadLetters);
  }
}
