package io.streamdown.ingest.config;

import io.micrometer.core.instrument.MeterRegistry;
import io.streamdown.ingest.request.EventBatchParser;
import io.streamdown.ingest.request.ReferenceParser;
import io.streamdown.ingest.request.RequestJson;
import io.streamdown.ingest.service.IngestMetrics;
import io.streamdown.schemas.TopicCatalog;
import java.time.Clock;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires request parsing, metrics and the topic catalog from the settings. Kafka producers are wired
 * apart, in {@link KafkaProducerConfig}, so that web tests can run without them.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({IngestSettings.class, TopicSettings.class})
public class IngestConfig {

  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }

  @Bean
  TopicCatalog topicCatalog(TopicSettings topics) {
    return topics.catalog();
  }

  @Bean
  RequestJson requestJson(IngestSettings settings) {
    return new RequestJson(settings.limits().maxBodyBytes().toBytes());
  }

  @Bean
  EventBatchParser eventBatchParser(RequestJson json, IngestSettings settings) {
    return new EventBatchParser(json, settings.limits());
  }

  @Bean
  ReferenceParser referenceParser(RequestJson json) {
    return new ReferenceParser(json);
  }

  @Bean
  IngestMetrics ingestMetrics(MeterRegistry registry) {
    return new IngestMetrics(registry);
  }
}
