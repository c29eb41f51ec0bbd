package io.streamdown.query.streams;

import io.micrometer.core.instrument.MeterRegistry;
import io.streamdown.query.config.StreamdownSettings;
import io.streamdown.support.DeadLetterListener;
import java.util.Map;
import org.apache.kafka.streams.Topology;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.annotation.EnableKafkaStreams;
import org.springframework.kafka.config.KafkaStreamsInfrastructureCustomizer;
import org.springframework.kafka.config.StreamsBuilderFactoryBeanConfigurer;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * Enables Kafka Streams (application id {@code spring.kafka.streams.application-id}) and adds the
 * query topology to the topology Spring's factory bean builds. The topology is written against
 * {@link Topology} rather than the DSL, because its view stores are restored from {@code
 * aggregates} through a read-only store on that topic's source ({@link QueryTopology}). Every
 * {@link QueryStoreListener} bean (metrics, live streams) hears what the store writer does.
 */
@Configuration(proxyBeanMethods = false)
@EnableKafkaStreams
public class QueryStreamsConfiguration {

  @Bean
  MicrometerQueryStoreListener queryStoreListener(MeterRegistry registry) {
    return new MicrometerQueryStoreListener(registry);
  }

  @Bean
  StreamsBuilderFactoryBeanConfigurer queryTopology(
      StreamdownSettings settings,
      // Looked up when the topology is built: the live streams among them need the running
      // client's metadata, so they cannot exist before the factory bean does.
      ObjectProvider<QueryStoreListener> storeListeners,
      DeadLetterListener deadLetterListener) {
    return factoryBean ->
        factoryBean.setInfrastructureCustomizer(
            new KafkaStreamsInfrastructureCustomizer() {
              @Override
              public void configureTopology(Topology topology) {
                QueryTopology.addTo(
                    topology,
                    settings.views(),
                    settings.topicCatalog(),
                    QueryStoreListener.all(storeListeners.orderedStream().toList()),
                    deadLetterListener);
              }
            });
  }

  /**
   * Names the views that outlive {@code aggregates}' retention on the broker, which the view
   * stores are restored from.
   */
  @Bean
  AggregatesRetentionCheck aggregatesRetentionCheck(
      StreamdownSettings settings, ObjectProvider<KafkaAdmin> kafkaAdmin) {
    KafkaAdmin admin = kafkaAdmin.getIfAvailable();
    return new AggregatesRetentionCheck(
        settings.views(),
        settings.topicCatalog().aggregates(),
        admin == null ? Map.of() : admin.getConfigurationProperties());
  }
}
