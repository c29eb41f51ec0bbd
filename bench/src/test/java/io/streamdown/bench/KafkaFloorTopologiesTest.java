package io.streamdown.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaFloorTopologiesTest {

  @TempDir Path state;

  @Test
  void enrichPassesTheBytesOnAndRemembersEveryRecord() {
    Properties config = KafkaFloorJob.config("floor-test-enrich", "unused:9092", state, List.of());
    try (TopologyTestDriver driver =
        new TopologyTestDriver(KafkaFloorTopologies.enrich("in", "out"), config)) {
      TestInputTopic<String, byte[]> in =
          driver.createInputTopic(
              "in", Serdes.String().serializer(), Serdes.ByteArray().serializer());
      TestOutputTopic<String, byte[]> out =
          driver.createOutputTopic(
              "out", Serdes.String().deserializer(), Serdes.ByteArray().deserializer());
      in.pipeInput("ad-1", bytes("{\"a\":1}"), Instant.ofEpochMilli(1_000));
      in.pipeInput("ad-2", bytes("{\"b\":2}"), Instant.ofEpochMilli(2_000));
      in.pipeInput("ad-1", bytes("{\"c\":3}"), Instant.ofEpochMilli(3_000));

      List<KeyValue<String, byte[]>> passed = out.readKeyValuesToList();
      assertThat(passed).extracting(kv -> kv.key).containsExactly("ad-1", "ad-2", "ad-1");
      assertThat(passed)
          .extracting(kv -> new String(kv.value, StandardCharsets.UTF_8))
          .containsExactly("{\"a\":1}", "{\"b\":2}", "{\"c\":3}");
      KeyValueStore<String, Long> seen = driver.getKeyValueStore(KafkaFloorTopologies.SEEN_STORE);
      assertThat(seen.get("0:0")).isEqualTo(1_000L);
      assertThat(seen.get("0:1")).isEqualTo(2_000L);
      assertThat(seen.get("0:2")).isEqualTo(3_000L);
      assertThat(seen.approximateNumEntries()).isEqualTo(3);
    }
  }

  @Test
  void aggregateCountsPerGroupAndTumblingWindow() {
    Properties config =
        KafkaFloorJob.config("floor-test-aggregate", "unused:9092", state, List.of());
    try (TopologyTestDriver driver =
        new TopologyTestDriver(KafkaFloorTopologies.aggregate("in", "out"), config)) {
      TestInputTopic<String, byte[]> in =
          driver.createInputTopic(
              "in", Serdes.String().serializer(), Serdes.ByteArray().serializer());
      TestOutputTopic<String, Long> out =
          driver.createOutputTopic(
              "out", Serdes.String().deserializer(), Serdes.Long().deserializer());
      in.pipeInput("ad-1", bytes("x"), Instant.ofEpochMilli(1_000));
      in.pipeInput("ad-2", bytes("x"), Instant.ofEpochMilli(2_000));
      in.pipeInput("ad-1", bytes("x"), Instant.ofEpochMilli(9_999));
      in.pipeInput("ad-1", bytes("x"), Instant.ofEpochMilli(10_000));

      Map<String, Long> counts = out.readKeyValuesToMap();
      String one = KafkaFloorTopologies.group("ad-1");
      String two = KafkaFloorTopologies.group("ad-2");
      assertThat(one).isNotEqualTo(two);
      assertThat(counts)
          .containsExactlyInAnyOrderEntriesOf(
              Map.of(one + "@0", 2L, two + "@0", 1L, one + "@10000", 1L));
    }
  }

  @Test
  void groupsAreBoundedAndStable() {
    assertThat(KafkaFloorTopologies.group("ad-1")).isEqualTo(KafkaFloorTopologies.group("ad-1"));
    assertThat(KafkaFloorTopologies.group(null)).isEqualTo("g0");
    assertThat(
            java.util.stream.IntStream.range(0, 10_000)
                .mapToObj(i -> KafkaFloorTopologies.group("ad-" + i))
                .distinct()
                .count())
        .isEqualTo(KafkaFloorTopologies.GROUPS);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
