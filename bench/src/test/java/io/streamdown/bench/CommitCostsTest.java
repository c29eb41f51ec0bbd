package io.streamdown.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CommitCostsTest {

  /** Two stream threads and their two producers, as Micrometer writes them, among other series. */
  private static final String EXPOSITION =
      """
      # HELP kafka_stream_thread_commit_total The total number of calls to commit
      # TYPE kafka_stream_thread_commit_total counter
      kafka_stream_thread_commit_total{kafka_version="4.2.1",spring_id="app",thread_id="a-StreamThread-1"} 100.0
      kafka_stream_thread_commit_total{kafka_version="4.2.1",spring_id="app",thread_id="a-StreamThread-2"} 50.0
      kafka_stream_thread_commit_latency_avg{thread_id="a-StreamThread-1"} 6.0
      kafka_producer_flush_time_ns_total{client_id="a-StreamThread-1-producer"} 1.0E9
      kafka_producer_flush_time_ns_total{client_id="a-StreamThread-2-producer"} 5.0E8
      kafka_producer_txn_send_offsets_time_ns_total{client_id="a-StreamThread-1-producer"} 6.0E8
      kafka_producer_txn_commit_time_ns_total{client_id="a-StreamThread-1-producer"} 3.0E8
      kafka_producer_txn_commit_time_ns_total{client_id="a-StreamThread-2-producer"} NaN
      jvm_threads_live_threads 42.0
      """;

  @Test
  void sumsEachCounterOverItsSeriesAndIgnoresTheRest() {
    CommitCosts.Sample sample = CommitCosts.parse(EXPOSITION).orElseThrow();

    assertThat(sample.commits()).isEqualTo(150.0);
    assertThat(sample.flushNanos()).isEqualTo(1.5e9);
    assertThat(sample.offsetsNanos()).isEqualTo(6.0e8);
    // A series that is not a number (a producer without a transaction yet) adds nothing.
    assertThat(sample.endTxnNanos()).isEqualTo(3.0e8);
  }

  @Test
  void aServiceWithoutStreamThreadsHasNoSample() {
    assertThat(CommitCosts.parse("jvm_threads_live_threads 42.0\n")).isEmpty();
    assertThat(
            CommitCosts.parse(
                "kafka_producer_flush_time_ns_total{client_id=\"ingest-producer-1\"} 1.0E9\n"))
        .isEmpty();
  }

  @Test
  void dividesEachStepByTheCommitsInBetweenAndTheirRateByTheTime() {
    Map<String, CommitCosts.Sample> before =
        Map.of("aggregate-service", new CommitCosts.Sample(100, 1e9, 5e8, 2e8));
    // 140 commits in 20 s: 1,400 ms waiting for acknowledgements, 700 adding offsets, 280 ending.
    Map<String, CommitCosts.Sample> after =
        Map.of("aggregate-service", new CommitCosts.Sample(240, 2.4e9, 1.2e9, 4.8e8));

    List<CommitCosts.Cost> costs = CommitCosts.between(before, after, Duration.ofSeconds(20));

    assertThat(costs).hasSize(1);
    CommitCosts.Cost cost = costs.get(0);
    assertThat(cost.service()).isEqualTo("aggregate-service");
    assertThat(cost.perSecond()).isCloseTo(7.0, within(1e-9));
    assertThat(cost.flushMillis()).isCloseTo(10.0, within(1e-9));
    assertThat(cost.offsetsMillis()).isCloseTo(5.0, within(1e-9));
    assertThat(cost.endTxnMillis()).isCloseTo(2.0, within(1e-9));
    assertThat(cost.describe())
        .isEqualTo(
            "7.0 commits/s; per commit: 10.0 ms waiting for the records' acknowledgements,"
                + " 5.0 ms adding the offsets, 2.0 ms ending the transaction");
  }

  @Test
  void leavesOutAServiceReadOnceOrWithoutACommitInBetween() {
    CommitCosts.Sample idle = new CommitCosts.Sample(10, 1e8, 1e8, 1e8);
    Map<String, CommitCosts.Sample> before =
        Map.of("enrich-service", idle, "query-service", idle);
    Map<String, CommitCosts.Sample> after = Map.of("enrich-service", idle);

    assertThat(CommitCosts.between(before, after, Duration.ofSeconds(20))).isEmpty();
  }
}
