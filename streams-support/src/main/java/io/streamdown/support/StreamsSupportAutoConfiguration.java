package io.streamdown.support;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;

/**
 * Registers the Kafka Streams health indicators ({@code kafkaStreams} for readiness,
 * {@code kafkaStreamsLiveness} for liveness) in every Streams service.
 */
@AutoConfiguration
@ConditionalOnBean(StreamsBuilderFactoryBean.class)
public class StreamsSupportAutoConfiguration {

  @Bean
  KafkaStreamsHealth kafkaStreamsHealthIndicator(StreamsBuilderFactoryBean factoryBean) {
    return KafkaStreamsHealth.readiness(factoryBean);
  }

  @Bean
  KafkaStreamsHealth kafkaStreamsLivenessHealthIndicator(StreamsBuilderFactoryBean factoryBean) {
    return KafkaStreamsHealth.liveness(factoryBean);
  }
}
