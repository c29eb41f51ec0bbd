package io.streamdown.bench;

import io.streamdown.prometheus.PrometheusText;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * How often each Streams service committed during a phase and how long its producer spent in each
 * commit's round trips to the broker, from the counters on the service's {@code
 * /actuator/prometheus}: the stream threads' commits, and the producer's time waiting for its
 * records to be acknowledged (the one flush per commit), adding the consumed offsets to the
 * transaction ({@code AddOffsetsToTxn} and {@code TxnOffsetCommit}) and ending it ({@code EndTxn}).
 *
 * <p>Why: a record waits at every exactly-once hop for the stage's next commit and for that commit
 * to finish, and a thread starts its next commit an interval after the last one ended, so W3's
 * freshness follows from these numbers (bench README, "Where a commit's time goes"). Kafka Streams'
 * own {@code commit-latency-avg} divides a commit's time by the tasks committed, which hides it.
 */
final class CommitCosts {

  static final String COMMITS = "kafka_stream_thread_commit_total";
  static final String FLUSH = "kafka_producer_flush_time_ns_total";
  static final String OFFSETS = "kafka_producer_txn_send_offsets_time_ns_total";
  static final String END_TXN = "kafka_producer_txn_commit_time_ns_total";

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private CommitCosts() {}

  /** One service's counters at one moment: commits, and producer nanoseconds in each step. */
  record Sample(double commits, double flushNanos, double offsetsNanos, double endTxnNanos) {

    Sample minus(Sample earlier) {
      return new Sample(
          commits - earlier.commits,
          flushNanos - earlier.flushNanos,
          offsetsNanos - earlier.offsetsNanos,
          endTxnNanos - earlier.endTxnNanos);
    }
  }

  /** One service's commits over a phase: how many a second, and milliseconds per commit. */
  record Cost(
      String service, double perSecond, double flushMillis, double offsetsMillis,
      double endTxnMillis) {

    String describe() {
      return String.format(Locale.ROOT, "%.1f commits/s; %s", perSecond, perCommit());
    }

    String perCommit() {
      return String.format(
          Locale.ROOT,
          "per commit: %.1f ms waiting for the records' acknowledgements, %.1f ms adding the"
              + " offsets, %.1f ms ending the transaction",
          flushMillis,
          offsetsMillis,
          endTxnMillis);
    }
  }

  /**
   * The counters in a Prometheus text exposition, each summed over its series (one per stream
   * thread, one per producer); absent if the text has no stream thread commits (not a Streams
   * service, or its threads not yet started).
   */
  static Optional<Sample> parse(String exposition) {
    PrometheusText text = PrometheusText.parse(exposition);
    if (!text.has(COMMITS)) {
      return Optional.empty();
    }
    return Optional.of(
        new Sample(text.sum(COMMITS), text.sum(FLUSH), text.sum(OFFSETS), text.sum(END_TXN)));
  }

  /**
   * Each service's counters now, by name, read from its Prometheus endpoint; a service that does
   * not answer within two seconds is left out, so that the measurement goes on without it.
   */
  static Map<String, Sample> read(Map<String, URI> endpoints) {
    Map<String, Sample> samples = new LinkedHashMap<>();
    endpoints.forEach(
        (service, uri) -> {
          try {
            HttpResponse<String> response =
                HTTP.send(
                    HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 200) {
              parse(response.body()).ifPresent(sample -> samples.put(service, sample));
            }
          } catch (IOException e) {
            // Left out: the report says which services it has.
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    return samples;
  }

  /**
   * What each service read at both moments did in between; a service without a commit in between
   * is left out (nothing to divide by).
   */
  static List<Cost> between(Map<String, Sample> before, Map<String, Sample> after, Duration elapsed) {
    List<Cost> costs = new ArrayList<>();
    double seconds = elapsed.toNanos() / 1e9;
    before.forEach(
        (service, start) -> {
          Sample end = after.get(service);
          if (end == null || seconds <= 0) {
            return;
          }
          Sample delta = end.minus(start);
          if (delta.commits() <= 0) {
            return;
          }
          // Nanoseconds in all commits to milliseconds in one.
          double nanosToMillisPerCommit = 1e6 * delta.commits();
          costs.add(
              new Cost(
                  service,
                  delta.commits() / seconds,
                  delta.flushNanos() / nanosToMillisPerCommit,
                  delta.offsetsNanos() / nanosToMillisPerCommit,
                  delta.endTxnNanos() / nanosToMillisPerCommit));
        });
    return costs;
  }
}
