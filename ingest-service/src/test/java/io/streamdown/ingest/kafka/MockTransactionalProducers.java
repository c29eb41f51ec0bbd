package io.streamdown.ingest.kafka;

import java.util.function.Consumer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.springframework.kafka.mock.MockProducerFactory;

/** Factories of transactional mock producers, each set up by the test before it is used. */
final class MockTransactionalProducers {

  private MockTransactionalProducers() {}

  /** Every producer made has its transactions initialized, then is handed to {@code setup}. */
  static MockProducerFactory<byte[], byte[]> factory(
      Consumer<MockProducer<byte[], byte[]>> setup) {
    return new MockProducerFactory<>(
        (tx, prefix) -> {
          MockProducer<byte[], byte[]> producer =
              new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
          producer.initTransactions();
          setup.accept(producer);
          return producer;
        },
        "tx-");
  }
}
