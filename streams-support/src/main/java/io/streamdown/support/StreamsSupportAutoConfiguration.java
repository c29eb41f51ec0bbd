package io.streamdown.support;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.kafka.config.StreamsBuilderFactoryBeanConfigurer;

/**
 * What every Streams service gets: the dead-letter counter, the Kafka Streams health indicators
 * ({@code kafkaStreams} for readiness, {@code kafkaStreamsLiveness} for liveness) and the shutdown
 * behaviour.
 */
@AutoConfiguration
@ConditionalOnBean(StreamsBuilderFactoryBean.class)
public class StreamsSupportAutoConfiguration {

  /** Dead letters counted as {@code streamdown_dlq_records_total}, unless a service brings its own. */
  @Bean
  @ConditionalOnMissingBean(DeadLetterListener.class)
  DeadLetterListener deadLetterListener(MeterRegistry registry) {
    return new MicrometerDeadLetterListener(registry);
  }

  @Bean
  KafkaStreamsHealth kafkaStreamsHealthIndicator(StreamsBuilderFactoryBean factoryBean) {
    return KafkaStreamsHealth.readiness(factoryBean);
  }

  @Bean
  KafkaStreamsHealth kafkaStreamsLivenessHealthIndicator(StreamsBuilderFactoryBean factoryBean) {
    return KafkaStreamsHealth.liveness(factoryBean);
  }

  /**
   * Leave the consumer group when stopping. Kafka Streams stays in the group by default, so a
   * restarted instance waits a whole session timeout (45 s) for the broker to evict its former
   * self before tasks are assigned again. Deployments that use static membership turn this off.
   */
  @Bean
  StreamsBuilderFactoryBeanConfigurer leaveGroupOnClose(
      @Value("${streamdown.streams.leave-group-on-close:true}") boolean leaveGroupOnClose) {
    return factoryBean -> factoryBean.setLeaveGroupOnClose(leaveGroupOnClose);
  }
}
