package io.streamdown.ingest.kafka;

import io.streamdown.ingest.config.IngestSettings;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The producer settings that make every blocking producer call end within the write deadline {@code
 * W}, so that a request thread never hangs on Kafka:
 *
 * <ul>
 *   <li>{@code max.block.ms = W/4}: bounds metadata waits in {@code send()}, and each of {@code
 *       initTransactions()}, {@code commitTransaction()} and {@code abortTransaction()};
 *   <li>{@code request.timeout.ms = W/4} and {@code delivery.timeout.ms = W/2}: a record is
 *       acknowledged or failed within {@code W/2} of {@code send()} returning;
 *   <li>{@code transaction.timeout.ms}: how long the coordinator keeps an abandoned transaction.
 * </ul>
 *
 * <p>The worst path, a batch on a pooled producer whose broker vanished, is a blocked send, a
 * failed commit and an abort, about {@code 3W/4}, plus a one-second close. Durability: {@code
 * acks=all} with idempotence. Keys and values are bytes: the writer serializes them with the
 * topics' own serdes.
 */
public final class ProducerTuning {

  /** Longest wait for a producer closed after a failure; closing aborts an open transaction. */
  public static final int CLOSE_TIMEOUT_SECONDS = 1;

  /** Producers are renewed daily, well before the broker expires an idle transactional id. */
  public static final Duration PRODUCER_MAX_AGE = Duration.ofDays(1);

  private ProducerTuning() {}

  /** The producer configuration derived from the settings. */
  public static Map<String, Object> configs(IngestSettings.Kafka kafka) {
    long writeMillis = kafka.writeTimeout().toMillis();
    long quarter = Math.max(1, writeMillis / 4);
    Map<String, Object> configs = new LinkedHashMap<>();
    configs.put(ProducerConfig.ACKS_CONFIG, "all");
    configs.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    configs.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, quarter);
    configs.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) quarter);
    int lingerMillis = (int) kafka.linger().toMillis();
    configs.put(ProducerConfig.LINGER_MS_CONFIG, lingerMillis);
    // At least request.timeout + linger, as the producer demands.
    configs.put(
        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
        (int) Math.max(writeMillis / 2, quarter + lingerMillis));
    configs.put(
        ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) kafka.transactionTimeout().toMillis());
    configs.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    configs.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    return configs;
  }
}
