package io.streamdown.ingest.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamdown.ingest.config.IngestSettings;
import io.streamdown.schemas.Event;
import io.streamdown.schemas.Reference;
import io.streamdown.schemas.Topic;
import io.streamdown.schemas.TopicCatalog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.mock.MockProducerFactory;

class KafkaEventWriterTest {

  /** The deadline the timeout test waits for. */
  private static final Duration SHORT_TIMEOUT = Duration.ofMillis(300);

  /** Long enough for a committer thread to be scheduled on a busy machine. */
  private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(10);

  private final TopicCatalog topics = new TopicCatalog("test.");
  private final List<MockProducer<byte[], byte[]>> transactional = new ArrayList<>();
  private final List<MockProducer<byte[], byte[]>> plain = new ArrayList<>();
  private boolean autoComplete = true;

  private final MockProducerFactory<byte[], byte[]> factory =
      new MockProducerFactory<>(
          (tx, prefix) -> {
            MockProducer<byte[], byte[]> producer =
                new MockProducer<>(
                    autoComplete, null, new ByteArraySerializer(), new ByteArraySerializer());
            if (tx) {
              producer.initTransactions();
              transactional.add(producer);
            } else {
              plain.add(producer);
            }
            return producer;
          },
          "tx-");

  private final KafkaEventWriter writer =
      new KafkaEventWriter(
          factory, topics, settings(2, WRITE_TIMEOUT), requests -> {});

  /** A writer whose transactional producers are set up by {@code setup}, with a pool of one. */
  private KafkaEventWriter transactionalWriter(Consumer<MockProducer<byte[], byte[]>> setup) {
    MockProducerFactory<byte[], byte[]> producers =
        MockTransactionalProducers.factory(setup.andThen(transactional::add));
    return new KafkaEventWriter(
        producers, topics, settings(1, WRITE_TIMEOUT), requests -> {});
  }

  private static IngestSettings.Kafka settings(int committers, Duration writeTimeout) {
    return new IngestSettings.Kafka(
        writeTimeout, Duration.ofSeconds(30), committers, "", 5000, 1000, Duration.ofMillis(5));
  }

  private static Event event(String id, String source, long ingestTime) {
    return new Event(id, source, "t", ingestTime - 5, 1.0, Map.of("k", "v"), ingestTime);
  }

  private Event decodeEvent(ProducerRecord<byte[], byte[]> record) {
    Topic<String, Event> raw = topics.eventsRaw();
    return raw.valueSerde().deserializer().deserialize(raw.name(), record.value());
  }

  private String decodeKey(ProducerRecord<byte[], byte[]> record) {
    return topics.eventsRaw().keySerde().deserializer().deserialize(record.topic(), record.key());
  }

  @Test
  void writesABatchInOneCommittedTransaction() throws Exception {
    List<Event> events = List.of(event("e1", "a", 1000), event("e2", "b", 1000));

    writer.writeEvents(events).get(5, TimeUnit.SECONDS);

    assertThat(plain).isEmpty();
    MockProducer<byte[], byte[]> producer = transactional.get(0);
    assertThat(producer.transactionCommitted()).isTrue();
    assertThat(producer.history()).hasSize(2);
    ProducerRecord<byte[], byte[]> first = producer.history().get(0);
    assertThat(first.topic()).isEqualTo(topics.eventsRaw().name());
    assertThat(decodeKey(first)).isEqualTo("a");
    assertThat(first.timestamp()).isEqualTo(1000L);
    assertThat(producer.history().stream().map(this::decodeEvent))
        .containsExactlyElementsOf(events);
  }

  @Test
  void writesASingleEventWithTheIdempotentProducer() throws Exception {
    Event event = event("e1", "a", 2000);

    writer.writeEvents(List.of(event)).get(5, TimeUnit.SECONDS);

    assertThat(transactional).isEmpty();
    assertThat(plain.get(0).history())
        .singleElement()
        .satisfies(
            record -> {
              assertThat(decodeEvent(record)).isEqualTo(event);
              assertThat(decodeKey(record)).isEqualTo("a");
              assertThat(record.timestamp()).isEqualTo(2000L);
            });
  }

  @Test
  void abortsTheTransactionWhenASendFails() {
    KafkaEventWriter failingWriter =
        transactionalWriter(producer -> producer.sendException = new KafkaException("gone"));

    assertThatThrownBy(
            () ->
                failingWriter
                    .writeEvents(List.of(event("e1", "a", 1), event("e2", "b", 1)))
                    .get(5, TimeUnit.SECONDS))
        .hasCauseInstanceOf(KafkaUnavailableException.class);

    MockProducer<byte[], byte[]> producer = transactional.get(0);
    assertThat(producer.transactionAborted()).isTrue();
    assertThat(producer.transactionCommitted()).isFalse();
    assertThat(producer.history()).isEmpty();
  }

  @Test
  void abortsTheTransactionWhenTheCommitFails() {
    KafkaEventWriter failingWriter =
        transactionalWriter(
            producer -> producer.commitTransactionException = new TimeoutException("gone"));

    assertThatThrownBy(
            () ->
                failingWriter
                    .writeEvents(List.of(event("e1", "a", 1), event("e2", "b", 1)))
                    .get(5, TimeUnit.SECONDS))
        .hasCauseInstanceOf(KafkaUnavailableException.class)
        .hasRootCauseInstanceOf(TimeoutException.class);

    assertThat(transactional.get(0).transactionAborted()).isTrue();
    assertThat(transactional.get(0).history()).isEmpty();
  }

  @Test
  void givesUpOnAnUnacknowledgedRecordAtTheDeadline() {
    autoComplete = false;
    KafkaEventWriter impatient =
        new KafkaEventWriter(factory, topics, settings(1, SHORT_TIMEOUT), requests -> {});
    long start = System.nanoTime();

    assertThatThrownBy(() -> impatient.writeEvents(List.of(event("e1", "a", 1))).get())
        .hasMessageContaining("did not acknowledge")
        .cause()
        .isInstanceOfSatisfying(
            KafkaUnavailableException.class,
            // The record is still in flight: the broker may yet append it.
            e -> assertThat(e.outcomeUnknown()).isTrue());

    Duration waited = Duration.ofNanos(System.nanoTime() - start);
    assertThat(waited).isGreaterThanOrEqualTo(SHORT_TIMEOUT.minusMillis(50));
  }

  @Test
  void writesReferenceUpsertsAndTombstones() {
    Reference reference = new Reference("a", Map.of("site", "north"), 3000);

    writer.writeReference(reference);
    writer.deleteReference("a");

    Topic<String, Reference> topic = topics.reference();
    // The mock factory hands out a new producer each time; the real one shares one.
    List<ProducerRecord<byte[], byte[]>> history =
        plain.stream().flatMap(producer -> producer.history().stream()).toList();
    assertThat(history).hasSize(2);
    assertThat(history)
        .allSatisfy(
            record -> {
              assertThat(record.topic()).isEqualTo(topic.name());
              assertThat(topic.keySerde().deserializer().deserialize(topic.name(), record.key()))
                  .isEqualTo("a");
            });
    assertThat(topic.valueSerde().deserializer().deserialize(topic.name(), history.get(0).value()))
        .isEqualTo(reference);
    assertThat(history.get(0).timestamp()).isEqualTo(3000L);
    assertThat(history.get(1).value()).isNull();
  }
}
