package io.streamdown.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.kafka.config.StreamsBuilderFactoryBeanConfigurer;

class StreamsSupportAutoConfigurationTest {

  /** A service's own restore listener, next to the tracker. */
  static final class Recorder implements StateRestoreListener {
    final List<String> ends = new ArrayList<>();

    @Override
    public void onRestoreStart(TopicPartition tp, String store, long start, long end) {}

    @Override
    public void onBatchRestored(TopicPartition tp, String store, long end, long count) {}

    @Override
    public void onRestoreEnd(TopicPartition tp, String store, long total) {
      ends.add(tp + " " + total);
    }
  }

  /** A service's state listener. */
  static final class StateRecorder implements KafkaStreams.StateListener {
    final List<String> changes = new ArrayList<>();

    @Override
    public void onChange(KafkaStreams.State newState, KafkaStreams.State oldState) {
      changes.add(oldState + " -> " + newState);
    }
  }

  private final StreamsBuilderFactoryBean factoryBean = mock(StreamsBuilderFactoryBean.class);

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(StreamsSupportAutoConfiguration.class))
          .withBean(StreamsBuilderFactoryBean.class, () -> factoryBean)
          .withBean(MeterRegistry.class, SimpleMeterRegistry::new)
          .withBean(Recorder.class, Recorder::new)
          .withBean("first", StateRecorder.class, StateRecorder::new)
          .withBean("second", StateRecorder.class, StateRecorder::new)
          .withPropertyValues("streamdown.streams.readiness.max-lag=5");

  /** What Spring does with the configurers when it creates the factory bean. */
  private void configureFactoryBean(ApplicationContext context) {
    for (StreamsBuilderFactoryBeanConfigurer configurer :
        context.getBeansOfType(StreamsBuilderFactoryBeanConfigurer.class).values()) {
      configurer.configure(factoryBean);
    }
  }

  @Test
  void everyRestoreListenerBeanHearsTheClientsRestoresAndReadinessWaitsForThem() {
    runner.run(
        context -> {
          configureFactoryBean(context);
          ArgumentCaptor<StateRestoreListener> registered =
              ArgumentCaptor.forClass(StateRestoreListener.class);
          verify(factoryBean).setStateRestoreListener(registered.capture());
          TopicPartition changelog = new TopicPartition("app-store-changelog", 2);
          RestoreTracker tracker = context.getBean(RestoreTracker.class);

          registered.getValue().onRestoreStart(changelog, "store", 0, 10);
          assertThat(tracker.restoring()).hasSize(1);
          registered.getValue().onRestoreEnd(changelog, "store", 10);

          assertThat(tracker.restoresCompleted()).isEqualTo(1);
          assertThat(context.getBean(Recorder.class).ends).containsExactly(changelog + " 10");
          KafkaStreamsReadiness readiness =
              context.getBean("kafkaStreamsHealthIndicator", KafkaStreamsReadiness.class);
          // The mocked factory has no client: not ready, with the configured threshold.
          assertThat(readiness.health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
          assertThat(context.getBean("kafkaStreamsLivenessHealthIndicator"))
              .isInstanceOf(KafkaStreamsHealth.class);
        });
  }

  @Test
  void everyStateListenerBeanHearsTheClientsStateChanges() {
    runner.run(
        context -> {
          configureFactoryBean(context);
          ArgumentCaptor<KafkaStreams.StateListener> registered =
              ArgumentCaptor.forClass(KafkaStreams.StateListener.class);
          verify(factoryBean).setStateListener(registered.capture());

          registered
              .getValue()
              .onChange(KafkaStreams.State.REBALANCING, KafkaStreams.State.RUNNING);

          assertThat(context.getBeansOfType(StateRecorder.class).values())
              .hasSize(2)
              .allSatisfy(
                  recorder ->
                      assertThat(recorder.changes).containsExactly("RUNNING -> REBALANCING"));
        });
  }

  @Test
  void clientsThatFlushOncePerExactlyOnceCommitByDefault() {
    runner.run(
        context -> {
          configureFactoryBean(context);

          verify(factoryBean).setClientSupplier(any(StreamsClientSupplier.class));
        });
  }

  @Test
  void kafkaStreamsOwnClientsWhenTurnedOff() {
    runner
        .withPropertyValues("streamdown.streams.one-flush-per-commit=false")
        .run(
            context -> {
              configureFactoryBean(context);

              verify(factoryBean, never()).setClientSupplier(any());
            });
  }

  @Test
  void theRocksDbBudgetIsCheckedAtStartUpAndPublished() {
    Properties streams = new Properties();
    streams.put(
        StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDbMemory.class.getName());
    streams.put(BoundedRocksDbMemory.MEMORY_CONFIG, "96MB");
    when(factoryBean.getStreamsConfiguration()).thenReturn(streams);
    runner.run(
        context -> {
          configureFactoryBean(context);

          MeterRegistry registry = context.getBean(MeterRegistry.class);
          assertThat(registry.get("streamdown.rocksdb.memory.budget").gauge().value())
              .isEqualTo(96.0 * 1024 * 1024);
          assertThat(registry.get("streamdown.rocksdb.memory.used").gauge().value()).isNotNaN();
        });

    streams.put(BoundedRocksDbMemory.MEMORY_CONFIG, "plenty");
    runner.run(
        context ->
            assertThatThrownBy(() -> configureFactoryBean(context))
                .hasMessageContaining("(streamdown.streams.rocksdb.memory and memtable-share)")
                .hasMessageContaining("streamdown.rocksdb.memory must be a size"));
  }
}
