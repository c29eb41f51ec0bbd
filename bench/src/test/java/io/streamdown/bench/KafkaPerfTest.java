package io.streamdown.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class KafkaPerfTest {

  @Test
  void readsTheProducerToolsLastSummary() {
    List<String> lines =
        List.of(
            "39913 records sent, 7981.0 records/sec (2.50 MB/sec), 1902.7 ms avg latency, 3158.0 ms"
                + " max latency.",
            "150000 records sent, 9123.4 records/sec (2.85 MB/sec), 1500.25 ms avg latency, 3200.00"
                + " ms max latency, 1400 ms 50th, 2900 ms 95th, 3100 ms 99th, 3190 ms 99.9th.");
    KafkaPerf.ProducerResult result = KafkaPerf.parseProducer(lines).orElseThrow();
    assertThat(result.records()).isEqualTo(150000);
    assertThat(result.recordsPerSecond()).isEqualTo(9123.4);
    assertThat(result.p50Ms()).isEqualTo(1400);
    assertThat(result.p99Ms()).isEqualTo(3100);
  }

  @Test
  void readsTheConsumerToolsRow() {
    List<String> lines =
        List.of(
            "start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec,"
                + " rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec",
            "2026-11-22 02:20:01:000, 2026-11-22 02:20:05:000, 47.0, 11.75, 150000, 37500.0, 3000,"
                + " 1000, 47.0, 150000.0");
    KafkaPerf.ConsumerResult result = KafkaPerf.parseConsumer(lines).orElseThrow();
    assertThat(result.records()).isEqualTo(150000);
    assertThat(result.recordsPerSecond()).isEqualTo(37500.0);
    assertThat(result.fetchRecordsPerSecond()).isEqualTo(150000.0);
  }

  @Test
  void noSummaryIsEmpty() {
    assertThat(KafkaPerf.parseProducer(List.of("WARN something"))).isEmpty();
    assertThat(KafkaPerf.parseConsumer(List.of("start.time, end.time"))).isEmpty();
  }
}
