package io.streamdown.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.streams.processor.internals.DefaultKafkaClientSupplier;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.util.ReflectionTestUtils;

/**
 * {@link AggregateServiceIT}'s whole run again with Kafka Streams' own clients, which flush the
 * exactly-once producer once per task ({@code streamdown.streams.one-flush-per-commit=false}): the
 * same aggregates, dead letters, health and metrics when a deployment turns the default off.
 */
@TestPropertySource(properties = "streamdown.streams.one-flush-per-commit=false")
class AggregateServicePerTaskFlushIT extends AggregateServiceIT {

  @Override
  @Test
  void kafkaStreamsClientsFlushOncePerCommit() {
    // Turned off: the factory bean keeps its own default, Kafka Streams' default supplier.
    assertThat(ReflectionTestUtils.getField(factoryBean, "clientSupplier"))
        .isInstanceOf(DefaultKafkaClientSupplier.class);
  }
}
