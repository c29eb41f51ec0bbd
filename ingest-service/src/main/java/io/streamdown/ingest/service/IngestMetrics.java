package io.streamdown.ingest.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.List;

/**
 * The ingest metrics: events accepted, events rejected by reason (requests, when the events were
 * not counted yet), and the duration of each {@code POST /api/v1/events} by outcome. Every reason
 * is registered up front so that dashboards see zeros, not gaps.
 */
public final class IngestMetrics {

  public static final String ACCEPTED = "streamdown.ingest.events.accepted";
  public static final String REJECTED = "streamdown.ingest.events.rejected";
  public static final String REQUESTS = "streamdown.ingest.requests";
  public static final String TRANSACTION_REQUESTS = "streamdown.ingest.transaction.requests";

  /** The outcome tag of a request whose events were all written. */
  public static final String OUTCOME_ACCEPTED = "accepted";

  /** The reason of a request Kafka could not take in time. */
  public static final String REASON_UNAVAILABLE = "unavailable";

  /** Every {@code reason} tag of {@link #REJECTED}. */
  public static final List<String> REASONS =
      List.of("malformed", "invalid", "too-large", "unsupported-media-type", REASON_UNAVAILABLE);

  private final MeterRegistry registry;
  private final Counter accepted;
  private final DistributionSummary transactionRequests;

  public IngestMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.accepted =
        Counter.builder(ACCEPTED)
            .description("Events written to Kafka and acknowledged")
            .register(registry);
    REASONS.forEach(this::rejectedCounter);
    this.transactionRequests =
        DistributionSummary.builder(TRANSACTION_REQUESTS)
            .description("Batch requests written together by each committed Kafka transaction")
            .register(registry);
  }

  /** One committed batch transaction that carried {@code requests} requests. */
  public void transactionCommitted(int requests) {
    transactionRequests.record(requests);
  }

  public void accepted(int events) {
    accepted.increment(events);
  }

  public void rejected(String reason, int events) {
    rejectedCounter(reason).increment(events);
  }

  public Timer.Sample startRequest() {
    return Timer.start(registry);
  }

  public void stopRequest(Timer.Sample sample, String outcome) {
    sample.stop(
        Timer.builder(REQUESTS)
            .description("Duration of event ingest requests, by outcome")
            .tag("outcome", outcome)
            .register(registry));
  }

  private Counter rejectedCounter(String reason) {
    return Counter.builder(REJECTED)
        .description("Events refused, by reason; requests when the events were not counted")
        .tag("reason", reason)
        .register(registry);
  }
}
