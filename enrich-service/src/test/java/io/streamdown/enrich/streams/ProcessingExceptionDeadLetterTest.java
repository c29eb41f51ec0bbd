package io.streamdown.enrich.streams;

import static io.streamdown.enrich.streams.EnrichDriver.TOPICS;
import static io.streamdown.enrich.streams.EnrichDriver.event;
import static org.assertj.core.api.Assertions.assertThat;

import io.streamdown.enrich.config.EnrichSettings;
import io.streamdown.schemas.EnrichedEvent;
import io.streamdown.schemas.Event;
import io.streamdown.schemas.Json;
import io.streamdown.schemas.JsonSerde;
import io.streamdown.support.DeadLetterListener;
import io.streamdown.support.SharedStreamsSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A record that makes a processor throw (a bug, not bad input: the topology routes bad input
 * itself) is dead-lettered by Kafka Streams with its original bytes and the error headers, and
 * the records after it are still processed. The Streams settings come from the shipped
 * {@code streamdown-streams.yml}, so this proves the configuration every service runs with, not
 * a copy of it.
 */
class ProcessingExceptionDeadLetterTest {

  private static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");

  @TempDir Path stateDir;

  @Test
  void shippedSettingsDeadLetterARecordThatMakesAProcessorThrow() {
    Properties config = EnrichDriver.config(stateDir);
    config.putAll(SharedStreamsSettings.streamsProperties());
    assertThat(config.getProperty("errors.dead.letter.queue.topic.name"))
        .isEqualTo(TOPICS.eventsDlq().name());

    // The listener is called inside the join; it fails once, for the second event, as that event
    // (like the others: dev-1 has no reference data) starts to wait for its reference.
    FailingOnceListener listener = new FailingOnceListener(2);
    try (TopologyTestDriver driver =
        new TopologyTestDriver(
            EnrichTopology.build(
                config,
                TOPICS,
                EnrichSettings.defaults(),
                Optional.empty(),
                listener,
                DeadLetterListener.NONE),
            config)) {
      TestInputTopic<String, byte[]> raw =
          driver.createInputTopic(
              TOPICS.eventsRaw().name(), new StringSerializer(), new ByteArraySerializer());
      TestOutputTopic<String, EnrichedEvent> enriched =
          driver.createOutputTopic(
              TOPICS.eventsEnriched().name(),
              new StringDeserializer(),
              JsonSerde.of(EnrichedEvent.class).deserializer());
      TestOutputTopic<byte[], byte[]> dlq =
          driver.createOutputTopic(
              TOPICS.eventsDlq().name(), new ByteArrayDeserializer(), new ByteArrayDeserializer());

      Event first = event("e-1", "dev-1", T0, T0);
      Event failing = event("e-2", "dev-1", T0.plusSeconds(1), T0.plusSeconds(1));
      Event third = event("e-3", "dev-1", T0.plusSeconds(2), T0.plusSeconds(2));
      byte[] failingBytes = Json.write(failing);
      raw.pipeInput("dev-1", Json.write(first), T0);
      raw.pipeInput("dev-1", failingBytes, T0.plusSeconds(1));
      raw.pipeInput("dev-1", Json.write(third), T0.plusSeconds(2));
      driver.advanceWallClockTime(EnrichSettings.DEFAULT_REFERENCE_WAIT.plusMillis(1));

      assertThat(enriched.readValuesToList())
          .extracting(e -> e.event().eventId())
          .containsExactly("e-1", "e-3");
      List<TestRecord<byte[], byte[]>> letters = dlq.readRecordsToList();
      assertThat(letters).hasSize(1);
      TestRecord<byte[], byte[]> letter = letters.get(0);
      assertThat(new String(letter.key(), StandardCharsets.UTF_8)).isEqualTo("dev-1");
      assertThat(letter.value()).isEqualTo(failingBytes);
      assertThat(header(letter, "__streams.errors.exception"))
          .isEqualTo(IllegalStateException.class.getName());
      assertThat(header(letter, "__streams.errors.message")).contains("listener failed");
      assertThat(header(letter, "__streams.errors.topic")).isEqualTo(TOPICS.eventsRaw().name());
      assertThat(header(letter, "__streams.errors.offset")).isEqualTo("1");
    }
  }

  private static String header(TestRecord<byte[], byte[]> record, String name) {
    Header header = record.headers().lastHeader(name);
    assertThat(header).as("header " + name).isNotNull();
    return new String(header.value(), StandardCharsets.UTF_8);
  }

  /** Throws on its n-th call of any outcome, as a bug in a processor would. */
  private static final class FailingOnceListener implements EnrichListener {

    private final int failingCall;
    private int calls;

    FailingOnceListener(int failingCall) {
      this.failingCall = failingCall;
    }

    private void call() {
      if (++calls == failingCall) {
        throw new IllegalStateException("listener failed on call " + calls);
      }
    }

    @Override
    public void matched() {
      call();
    }

    @Override
    public void unmatched() {
      call();
    }

    @Override
    public void held() {
      call();
    }

    @Override
    public void duplicate() {
      call();
    }

    // Where a lookup was answered is not an outcome: counting it would move the failing call.
    @Override
    public void referenceFromMemory() {}

    @Override
    public void referenceFromStore() {}
  }
}
