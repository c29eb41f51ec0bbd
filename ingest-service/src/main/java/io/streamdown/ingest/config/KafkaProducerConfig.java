package io.streamdown.ingest.config;

import io.streamdown.ingest.kafka.KafkaEventWriter;
import io.streamdown.ingest.kafka.KafkaWriteReadiness;
import io.streamdown.ingest.kafka.ProducerTuning;
import io.streamdown.ingest.service.IngestMetrics;
import io.streamdown.schemas.TopicCatalog;
import java.util.List;
import java.util.UUID;
import org.springframework.boot.kafka.autoconfigure.DefaultKafkaProducerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.DefaultTransactionIdSuffixStrategy;
import org.springframework.kafka.core.ProducerFactory;

/**
 * Tunes Spring Boot's producer factory (which keeps its Micrometer producer metrics and the {@code
 * spring.kafka.*} connection settings) for ingest, and creates the writer over it.
 *
 * <p>The factory becomes transactional with a pool of at most {@code producer-pool-size} producers,
 * one per committer of the writer:
 * transactional ids {@code <prefix>0} to {@code <prefix>N-1} are reused, so a failed producer's
 * replacement takes over its id and fences it at once.
 */
@Configuration(proxyBeanMethods = false)
public class KafkaProducerConfig {

  @Bean
  DefaultKafkaProducerFactoryCustomizer ingestProducerTuning(IngestSettings settings) {
    IngestSettings.Kafka kafka = settings.kafka();
    String prefix =
        kafka.transactionalIdPrefix().isEmpty()
            ? "streamdown-ingest-" + UUID.randomUUID().toString().substring(0, 8) + "-"
            : kafka.transactionalIdPrefix();
    return factory -> {
      factory.updateConfigs(ProducerTuning.configs(kafka));
      factory.setTransactionIdPrefix(prefix);
      factory.setTransactionIdSuffixStrategy(
          new DefaultTransactionIdSuffixStrategy(kafka.producerPoolSize()));
      factory.setPhysicalCloseTimeout(ProducerTuning.CLOSE_TIMEOUT_SECONDS);
      factory.setMaxAge(ProducerTuning.PRODUCER_MAX_AGE);
    };
  }

  /** Readiness waits until the producer knows the partitions of the topics it writes. */
  @Bean
  KafkaWriteReadiness kafkaWriteHealthIndicator(
      ProducerFactory<byte[], byte[]> producerFactory, TopicCatalog topics) {
    return new KafkaWriteReadiness(
        producerFactory, List.of(topics.eventsRaw().name(), topics.reference().name()));
  }

  @Bean
  KafkaEventWriter eventWriter(
      ProducerFactory<byte[], byte[]> producerFactory,
      TopicCatalog topics,
      IngestSettings settings,
      IngestMetrics metrics) {
    return new KafkaEventWriter(
        producerFactory, topics, settings.kafka(), metrics::transactionCommitted);
  }
}
