package io.streamdown.aggregate.config;

import io.micrometer.core.instrument.MeterRegistry;
import io.streamdown.aggregate.metrics.MicrometerAggregateListener;
import io.streamdown.aggregate.streams.AggregateListener;
import io.streamdown.aggregate.streams.AggregateTopology;
import io.streamdown.schemas.EnrichedEvent;
import java.time.Clock;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.KStream;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.KafkaStreamsInfrastructureCustomizer;
import org.springframework.kafka.config.StreamsBuilderFactoryBeanConfigurer;

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

  /**
   * Finishes the built topology ({@link AggregateTopology#connectStores}) before Spring creates
   * the Kafka Streams client from it.
   */
  @Bean
  StreamsBuilderFactoryBeanConfigurer connectViewStores(AggregateSettings settings) {
    return factoryBean ->
        factoryBean.setInfrastructureCustomizer(
            new KafkaStreamsInfrastructureCustomizer() {
              @Override
              public void configureTopology(Topology topology) {
                AggregateTopology.connectStores(topology, settings.views());
              }
            });
  }

  @Bean
  KStream<String, EnrichedEvent> aggregateTopology(
      StreamsBuilder builder, AggregateSettings settings, AggregateListener listener) {
    return AggregateTopology.addTo(
        builder,
        settings.topicCatalog(),
        settings.views(),
        settings.keying(),
        settings.aggregate().originIdle(),
        listener);
  }
}
