package io.streamdown.aggregate;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamdown.support.StreamsClientSupplier;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.util.ReflectionTestUtils;

/**
 * {@link AggregateServiceIT}'s whole run again with one producer flush per exactly-once commit
 * ({@code streamdown.streams.one-flush-per-commit=true}, off by default): the same aggregates,
 * dead letters, health and metrics, through the wrapped transactional producer.
 */
@TestPropertySource(properties = "streamdown.streams.one-flush-per-commit=true")
class AggregateServiceOneFlushIT extends AggregateServiceIT {

  @Autowired private StreamsBuilderFactoryBean factoryBean;

  @Test
  void kafkaStreamsCreatesItsClientsThroughTheOneFlushSupplier() {
    // The factory bean keeps the supplier in a field without a getter.
    assertThat(ReflectionTestUtils.getField(factoryBean, "clientSupplier"))
        .isInstanceOf(StreamsClientSupplier.class);
  }
}
