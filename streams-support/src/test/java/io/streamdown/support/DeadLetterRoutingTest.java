package io.streamdown.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamdown.schemas.DeadLetters;
import io.streamdown.schemas.TopicCatalog;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DeadLetterRoutingTest {

  private final TopicCatalog topics = new TopicCatalog("t.");
  private final List<String> deadLettered = new ArrayList<>();
  private TopologyTestDriver driver;
  private TestInputTopic<String, byte[]> input;
  private TestOutputTopic<String, String> output;
  private TestOutputTopic<byte[], byte[]> dlq;

  @BeforeEach
  void setUp() {
    StreamsBuilder builder = new StreamsBuilder();
    DeadLetterRouting.parseOrDeadLetter(
            builder.stream("in", Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("in")),
            "number",
            "test-stage",
            (key, value) -> Integer.toString(Integer.parseInt(new String(value, StandardCharsets.UTF_8)) * 2),
            topics,
            (stage, error) -> deadLettered.add(stage + ":" + error))
        .to("out", Produced.with(Serdes.String(), Serdes.String()).withName("out"));
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "dlq-test");
    props.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
    driver = new TopologyTestDriver(builder.build(), props);
    input = driver.createInputTopic("in", new StringSerializer(), Serdes.ByteArray().serializer());
    output = driver.createOutputTopic("out", new StringDeserializer(), new StringDeserializer());
    dlq =
        driver.createOutputTopic(
            topics.eventsDlq().name(),
            Serdes.ByteArray().deserializer(),
            Serdes.ByteArray().deserializer());
  }

  @AfterEach
  void tearDown() {
    driver.close();
  }

  @Test
  void poisonGoesToTheDeadLetterTopicAndTheRestFlows() {
    input.pipeInput("a", bytes("1"));
    input.pipeInput("b", bytes("not a number"));
    input.pipeInput("c", bytes("3"));

    assertThat(output.readKeyValuesToList())
        .extracting(kv -> kv.key + "=" + kv.value)
        .containsExactly("a=2", "c=6");
    List<TestRecord<byte[], byte[]>> letters = dlq.readRecordsToList();
    assertThat(letters).hasSize(1);
    TestRecord<byte[], byte[]> letter = letters.get(0);
    assertThat(new String(letter.key(), StandardCharsets.UTF_8)).isEqualTo("b");
    assertThat(new String(letter.value(), StandardCharsets.UTF_8)).isEqualTo("not a number");
    assertThat(DeadLetters.header(letter.headers(), DeadLetters.STAGE)).isEqualTo("test-stage");
    assertThat(DeadLetters.header(letter.headers(), DeadLetters.ERROR_CLASS))
        .isEqualTo(NumberFormatException.class.getName());
    assertThat(DeadLetters.header(letter.headers(), DeadLetters.ERROR_MESSAGE))
        .contains("not a number");
    assertThat(DeadLetters.header(letter.headers(), DeadLetters.ORIGIN_TOPIC)).isEqualTo("in");
    assertThat(DeadLetters.header(letter.headers(), DeadLetters.ORIGIN_PARTITION)).isEqualTo("0");
    assertThat(DeadLetters.header(letter.headers(), DeadLetters.ORIGIN_OFFSET)).isEqualTo("1");
    assertThat(deadLettered).containsExactly("test-stage:" + NumberFormatException.class.getName());
  }

  @Test
  void goodRecordsCarryNoDeadLetterHeaders() {
    input.pipeInput("a", bytes("5"));

    assertThat(output.readRecord().headers().lastHeader(DeadLetters.STAGE)).isNull();
    assertThat(dlq.isEmpty()).isTrue();
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
