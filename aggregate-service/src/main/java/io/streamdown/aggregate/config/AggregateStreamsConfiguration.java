package io.streamdown.aggregate.config;

import io.micrometer.core.instrument.MeterRegistry;
import io.streamdown.aggregate.metrics.MicrometerAggregateListener;
import io.streamdown.aggregate.streams.AggregateListener;
import io.streamdown.aggregate.streams.AggregateTopology;
import io.streamdown.schemas.EnrichedEvent;
import java.time.Clock;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.KStream;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the aggregate topology into the Kafka Streams client that {@code @EnableKafkaStreams}
 * manages, with the configured views and Micrometer metrics.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AggregateSettings.class)
class AggregateStreamsConfiguration {

  @Bean
  AggregateListener aggregateListener(MeterRegistry registry) {
    return new MicrometerAggregateListener(registry, Clock.systemUTC());
  }

  @Bean
  KStream<String, EnrichedEvent> aggregateTopology(
      StreamsBuilder builder, AggregateSettings settings, AggregateListener listener) {
    return AggregateTopology.addTo(builder, settings.topicCatalog(), settings.views(), listener);
  }
}
