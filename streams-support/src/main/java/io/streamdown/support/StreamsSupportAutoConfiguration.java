package io.streamdown.support;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.streamdown.support.BoundedRocksDbMemory.Budget;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.kafka.config.StreamsBuilderFactoryBeanConfigurer;

/**
 * What every Streams service gets: the dead-letter counter, the Kafka Streams health indicators
 * ({@code kafkaStreams} for readiness: running, restored and caught up; {@code
 * kafkaStreamsLiveness} for liveness), the restore tracking readiness needs, the shutdown
 * behaviour and, on request, the clients ({@link StreamsClientSupplier}).
 */
@AutoConfiguration
@ConditionalOnBean(StreamsBuilderFactoryBean.class)
public class StreamsSupportAutoConfiguration {

  private static final Logger log = LoggerFactory.getLogger(StreamsSupportAutoConfiguration.class);

  /** Dead letters counted as {@code streamdown_dlq_records_total}, unless a service brings its own. */
  @Bean
  @ConditionalOnMissingBean(DeadLetterListener.class)
  DeadLetterListener deadLetterListener(MeterRegistry registry) {
    return new MicrometerDeadLetterListener(registry);
  }

  /** Knows which active stores are restoring, for readiness (and for any service that asks). */
  @Bean
  RestoreTracker restoreTracker() {
    return new RestoreTracker();
  }

  /**
   * Registers every {@link StateRestoreListener} bean, the {@link RestoreTracker} among them, as
   * the client's one restore listener.
   */
  @Bean
  StreamsBuilderFactoryBeanConfigurer restoreListeners(
      ObjectProvider<StateRestoreListener> listeners) {
    return factoryBean ->
        factoryBean.setStateRestoreListener(
            new CompositeRestoreListener(() -> listeners.orderedStream().toList()));
  }

  /**
   * Registers every {@link KafkaStreams.StateListener} bean as the client's one state listener.
   */
  @Bean
  StreamsBuilderFactoryBeanConfigurer stateListeners(
      ObjectProvider<KafkaStreams.StateListener> listeners) {
    return factoryBean ->
        factoryBean.setStateListener(
            new CompositeStateListener(() -> listeners.orderedStream().toList()));
  }

  /**
   * Readiness: RUNNING, nothing restoring, input lag at most {@code
   * streamdown.streams.readiness.max-lag} offsets (default 10000).
   */
  @Bean
  KafkaStreamsReadiness kafkaStreamsHealthIndicator(
      StreamsBuilderFactoryBean factoryBean,
      RestoreTracker restoreTracker,
      @Value("${streamdown.streams.readiness.max-lag:10000}") long maxLag) {
    return new KafkaStreamsReadiness(new KafkaStreamsStatus(factoryBean, restoreTracker), maxLag);
  }

  @Bean
  KafkaStreamsHealth kafkaStreamsLivenessHealthIndicator(StreamsBuilderFactoryBean factoryBean) {
    return KafkaStreamsHealth.liveness(factoryBean);
  }

  /**
   * Clients whose exactly-once producer flushes once per commit instead of once per task ({@link
   * StreamsClientSupplier}), the default since it shortens every commit on every exactly-once hop
   * and has passed the fault-injection test; {@code streamdown.streams.one-flush-per-commit=false}
   * gives Kafka Streams' own clients back (streams-support README). Either way said once in the
   * log, so a run's log shows which it had.
   */
  @Bean
  StreamsBuilderFactoryBeanConfigurer clientSupplier(
      @Value("${streamdown.streams.one-flush-per-commit:true}") boolean oneFlushPerCommit) {
    return factoryBean -> {
      if (oneFlushPerCommit) {
        log.info(
            "Kafka Streams' exactly-once producer flushes once per commit, not once per task"
                + " (streamdown.streams.one-flush-per-commit=true, the default)");
        factoryBean.setClientSupplier(new StreamsClientSupplier());
      } else {
        log.info(
            "Kafka Streams' exactly-once producer flushes once per task, as Kafka Streams does"
                + " (streamdown.streams.one-flush-per-commit=false)");
      }
    };
  }

  /**
   * Checks the RocksDB memory budget before any store opens, so that a bad size fails start-up
   * with the property's name instead of a stream thread at its first store, and says in the log
   * which budget the stores share (or that a deployment set a config setter of its own).
   */
  @Bean
  StreamsBuilderFactoryBeanConfigurer rocksDbMemory(MeterRegistry registry) {
    return factoryBean -> {
      Properties streams = factoryBean.getStreamsConfiguration();
      Object setter =
          streams == null ? null : streams.get(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG);
      String setterName = setter instanceof Class<?> type ? type.getName() : String.valueOf(setter);
      if (BoundedRocksDbMemory.class.getName().equals(setterName)) {
        @SuppressWarnings({"unchecked", "rawtypes"})
        Map<String, ?> configs = (Map) streams;
        publishBudget(Budget.ofSettings(configs), registry);
      } else {
        log.info(
            "RocksDB stores are configured by {}",
            setter == null ? "Kafka Streams' defaults" : setterName);
      }
    };
  }

  /** Says in the log which budget the stores share and publishes it with its use. */
  private static void publishBudget(Budget budget, MeterRegistry registry) {
    log.info(
        "RocksDB stores share {} (streamdown.streams.rocksdb.memory and memtable-share)", budget);
    Gauge.builder("streamdown.rocksdb.memory.used", budget, BoundedRocksDbMemory::usedBytes)
        .strongReference(true)
        .baseUnit("bytes")
        .description("Off-heap memory the RocksDB stores of this instance use together")
        .register(registry);
    Gauge.builder("streamdown.rocksdb.memory.budget", budget, Budget::bytes)
        .strongReference(true)
        .baseUnit("bytes")
        .description("What the RocksDB stores of this instance may use together")
        .register(registry);
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
