package io.streamdown.query.streams;

import io.micrometer.core.instrument.MeterRegistry;
import io.streamdown.query.config.StreamdownSettings;
import io.streamdown.schemas.Topic;
import io.streamdown.schemas.ViewDefinition;
import io.streamdown.support.DeadLetterListener;
import java.util.List;
import org.apache.kafka.streams.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.annotation.EnableKafkaStreams;
import org.springframework.kafka.config.KafkaStreamsInfrastructureCustomizer;
import org.springframework.kafka.config.StreamsBuilderFactoryBeanConfigurer;

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

  private static final Logger log = LoggerFactory.getLogger(QueryStreamsConfiguration.class);

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
                warnOfViewsOutlivingAggregates(settings);
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
   * The view stores are restored from {@code aggregates}, so a window older than the topic's
   * retention is not restored: say so for every view that keeps windows longer than the
   * retention Streamdown creates the topic with.
   */
  private static void warnOfViewsOutlivingAggregates(StreamdownSettings settings) {
    Topic<?, ?> aggregates = settings.topicCatalog().aggregates();
    for (ViewDefinition view : viewsOutliving(settings.views(), aggregates)) {
      log.warn(
          "View {} keeps windows for {}, longer than {} keeps aggregates ({} as created):"
              + " windows older than the topic's retention.ms are not restored when a task's"
              + " state is rebuilt; raise the topic's retention.ms to at least the view's",
          view.name(),
          view.retention(),
          aggregates.name(),
          aggregates.retention().orElseThrow());
    }
  }

  /** The views that keep windows longer than the topic, as created, keeps records. */
  static List<ViewDefinition> viewsOutliving(List<ViewDefinition> views, Topic<?, ?> topic) {
    return topic
        .retention()
        .map(kept -> views.stream().filter(view -> view.retention().compareTo(kept) > 0).toList())
        .orElse(List.of());
  }
}
