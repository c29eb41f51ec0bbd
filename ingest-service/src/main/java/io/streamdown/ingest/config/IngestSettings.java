package io.streamdown.ingest.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings of the ingest service ({@code streamdown.ingest.*}): request limits, the Kafka write
 * deadline and producer pool, and the {@code Retry-After} advertised when Kafka is unavailable.
 *
 * @param limits what one request may contain
 * @param kafka how writes to Kafka are bounded and pooled
 * @param retryAfter the {@code Retry-After} of a 503, rounded up to whole seconds
 */
@ConfigurationProperties("streamdown.ingest")
public record IngestSettings(
    @DefaultValue Limits limits,
    @DefaultValue Kafka kafka,
    @DefaultValue("5s") Duration retryAfter) {

  public IngestSettings {
    requirePositive(retryAfter, "streamdown.ingest.retry-after");
  }

  /** The {@code Retry-After} header value: whole seconds, at least one. */
  public long retryAfterSeconds() {
    return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
  }

  /**
   * Limits of one request.
   *
   * @param maxBodyBytes the largest request body, checked against {@code Content-Length} before
   *     reading and counted while reading (chunked bodies)
   * @param maxBatchEvents the most events in one request
   * @param maxEventBytes the largest JSON text of one event
   * @param maxFutureSkew how far ahead of the server's clock an event's time may be
   */
  public record Limits(
      @DefaultValue("5MB") DataSize maxBodyBytes,
      @DefaultValue("10000") int maxBatchEvents,
      @DefaultValue("64KB") DataSize maxEventBytes,
      @DefaultValue("1h") Duration maxFutureSkew) {

    /** Above this a byte array cannot hold the body. */
    private static final long LARGEST_BODY = Integer.MAX_VALUE - 16L;

    public Limits {
      if (maxBodyBytes.toBytes() < 1 || maxBodyBytes.toBytes() > LARGEST_BODY) {
        throw new IllegalArgumentException(
            "streamdown.ingest.limits.max-body-bytes must be between 1 byte and 2 GB");
      }
      if (maxEventBytes.toBytes() < 1 || maxEventBytes.toBytes() > maxBodyBytes.toBytes()) {
        throw new IllegalArgumentException(
            "streamdown.ingest.limits.max-event-bytes must be between 1 byte and max-body-bytes");
      }
      if (maxBatchEvents < 1) {
        throw new IllegalArgumentException(
            "streamdown.ingest.limits.max-batch-events must be at least 1");
      }
      if (maxFutureSkew.isNegative()) {
        throw new IllegalArgumentException(
            "streamdown.ingest.limits.max-future-skew must not be negative");
      }
    }

    public int maxBodyBytesInt() {
      return (int) maxBodyBytes.toBytes();
    }

    public int maxEventBytesInt() {
      return (int) maxEventBytes.toBytes();
    }
  }

  /**
   * How writes to Kafka are bounded and pooled.
   *
   * @param writeTimeout the longest a request waits for Kafka; the producer's own timeouts are
   *     derived from it (see {@code ProducerTuning}) so no request thread blocks longer
   * @param transactionTimeout how long the transaction coordinator keeps an unfinished batch
   *     transaction open before aborting it; bounds how long a crashed instance can hold back
   *     {@code read_committed} readers; at least {@code writeTimeout}
   * @param producerPoolSize transactional producers, each with one committer thread: as many
   *     transactions are in flight at once, each carrying the batches of every request that
   *     arrived while the previous one committed
   * @param maxTransactionEvents events above which a shared transaction takes no further request
   *     (a single request larger than this still gets a transaction of its own)
   * @param maxWaitingRequests batch requests that may wait for a transaction; beyond that they
   *     are refused with a 503 until their deadline
   * @param transactionalIdPrefix prefix of the transactional ids; empty for a random one per
   *     process. A stable value unique per instance (such as the pod name) lets a restarted
   *     instance abort its predecessor's unfinished transactions at once instead of after the
   *     transaction timeout; two live instances must never share it.
   * @param linger the producers' {@code linger.ms}: how long a record may wait for others to share
   *     its produce request; every single-event POST waits for it, a batch POST does not (its
   *     transaction's commit sends at once); at most a quarter of {@code writeTimeout}
   */
  public record Kafka(
      @DefaultValue("10s") Duration writeTimeout,
      @DefaultValue("30s") Duration transactionTimeout,
      @DefaultValue("4") int producerPoolSize,
      @DefaultValue("") String transactionalIdPrefix,
      @DefaultValue("5000") int maxTransactionEvents,
      @DefaultValue("1000") int maxWaitingRequests,
      @DefaultValue("5ms") Duration linger) {

    public Kafka {
      requirePositive(writeTimeout, "streamdown.ingest.kafka.write-timeout");
      if (writeTimeout.toMillis() < 100) {
        throw new IllegalArgumentException(
            "streamdown.ingest.kafka.write-timeout must be at least 100ms");
      }
      if (transactionTimeout.compareTo(writeTimeout) < 0) {
        throw new IllegalArgumentException(
            "streamdown.ingest.kafka.transaction-timeout must be at least write-timeout");
      }
      if (producerPoolSize < 1) {
        throw new IllegalArgumentException(
            "streamdown.ingest.kafka.producer-pool-size must be at least 1");
      }
      if (maxTransactionEvents < 1) {
        throw new IllegalArgumentException(
            "streamdown.ingest.kafka.max-transaction-events must be at least 1");
      }
      if (maxWaitingRequests < 1) {
        throw new IllegalArgumentException(
            "streamdown.ingest.kafka.max-waiting-requests must be at least 1");
      }
      // Within a quarter of the deadline, so that a record's delivery timeout, which must cover
      // linger and the request timeout, still ends inside it (ProducerTuning).
      if (linger == null
          || linger.isNegative()
          || linger.compareTo(writeTimeout.dividedBy(4)) > 0) {
        throw new IllegalArgumentException(
            "streamdown.ingest.kafka.linger must be between 0 and a quarter of write-timeout");
      }
      transactionalIdPrefix = transactionalIdPrefix == null ? "" : transactionalIdPrefix.strip();
    }
  }

  private static void requirePositive(Duration duration, String name) {
    if (duration == null || duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException(name + " must be positive");
    }
  }
}
