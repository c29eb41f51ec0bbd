package io.streamdown.query.streams;

import io.micrometer.core.instrument.MeterRegistry;
import io.streamdown.query.config.StreamdownSettings;
import io.streamdown.support.DeadLetterListener;
import java.util.List;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.KStream;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.annotation.EnableKafkaStreams;

/**
 * Enables Kafka Streams (application id {@code spring.kafka.streams.application-id}) and adds the
 * query topology to the builder Spring's factory bean owns. Every {@link QueryStoreListener} bean
 * (metrics, live streams) hears what the store writer does.
 */
@Configuration(proxyBeanMethods = false)
@EnableKafkaStreams
public class QueryStreamsConfiguration {

  @Bean
  MicrometerQueryStoreListener queryStoreListener(MeterRegistry registry) {
    return new MicrometerQueryStoreListener(registry);
  }

  @Bean
  KStream<String, Void> queryTopology(
      StreamsBuilder builder,
      StreamdownSettings settings,
      List<QueryStoreListener> storeListeners,
      DeadLetterListener deadLetterListener) {
    return QueryTopology.addTo(
        builder,
        settings.views(),
        settings.topicCatalog(),
        QueryStoreListener.all(storeListeners),
        deadLetterListener);
  }
}
