package io.streamdown.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamdown.local.Service;
import io.streamdown.local.StackLauncher;
import io.streamdown.schemas.AggregateKey;
import io.streamdown.schemas.DeadLetters;
import io.streamdown.schemas.EnrichedEvent;
import io.streamdown.schemas.Event;
import io.streamdown.schemas.Json;
import io.streamdown.schemas.TopicCatalog;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Poison records written straight to every input topic (raw events, reference data, enriched
 * events, aggregates) of the running pipeline: each lands on {@code events.dlq} with its original
 * bytes and headers naming the stage, the error and the origin, and the good records around them
 * are counted exactly.
 */
class PoisonRecordsIT {

  private static final Duration DEADLINE = Duration.ofSeconds(120);
  private static final String PREFIX = "poison.";
  private static final TopicCatalog TOPICS = new TopicCatalog(PREFIX);
  private static final int GOOD_EVENTS = 12;
  private static final int DIRECT_ENRICHED = 3;

  private static final Http http = new Http();
  private static StackLauncher stack;

  /** A poison record: where it is written, its key and bytes, and which stage must refuse it. */
  private record Poison(String topic, String key, byte[] value, String stage) {}

  @BeforeAll
  static void startStack() throws Exception {
    stack = E2eStacks.start(E2eStacks.options("poison", PREFIX).partitions(2).build());
  }

  @AfterAll
  static void stopStack() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  void everyPoisonRecordIsDeadLetteredAndItsNeighboursAreCounted() throws Exception {
    long now = System.currentTimeMillis();
    long base = now - Math.floorMod(now, 60_000L) - 5 * 60_000L;
    String source = "p-1";
    String direct = "p-direct";
    byte[] invalidUtf8 = {(byte) 0xFF, (byte) 0xFE, '{'};
    AggregateKey poisonedAggregate = new AggregateKey("by-source", List.of("temp", "x"), base);
    List<Poison> poisons =
        List.of(
            new Poison(TOPICS.reference().name(), "p-2", utf8("{broken"), "enrich"),
            new Poison(TOPICS.reference().name(), "p-3", invalidUtf8, "enrich"),
            new Poison(TOPICS.eventsRaw().name(), source, utf8("{not json"), "enrich"),
            new Poison(TOPICS.eventsRaw().name(), source, utf8("{\"source\":\"p-1\"}"), "enrich"),
            new Poison(TOPICS.eventsRaw().name(), source, invalidUtf8, "enrich"),
            new Poison(TOPICS.eventsEnriched().name(), direct, utf8("{\"event\":"), "aggregate"),
            new Poison(TOPICS.eventsEnriched().name(), direct, utf8("42"), "aggregate"),
            new Poison(
                TOPICS.aggregates().name(),
                new String(Json.write(poisonedAggregate), StandardCharsets.UTF_8),
                utf8("{\"count\":"),
                "query"));

    Http.Response reference =
        http.send(
            "PUT",
            ingest("/api/v1/reference/" + source),
            "application/json",
            "{\"region\":\"eu-poison\"}");
    assertThat(reference.status()).as(reference.body()).isEqualTo(200);

    try (KafkaProducer<byte[], byte[]> producer = producer()) {
      // Poison first, then good records behind it on the same keys (same partitions).
      for (Poison poison : poisons) {
        send(producer, poison.topic(), poison.key(), poison.value());
      }
      for (int i = 0; i < DIRECT_ENRICHED; i++) {
        Event event = new Event("direct-" + i, direct, "temp", base + i * 1000L, 100.0, null, now);
        send(
            producer,
            TOPICS.eventsEnriched().name(),
            direct,
            Json.write(new EnrichedEvent(event, null)));
      }
    }
    String events =
        IntStream.rangeClosed(1, GOOD_EVENTS)
            .mapToObj(
                i ->
                    "{\"eventId\":\"good-"
                        + i
                        + "\",\"source\":\""
                        + source
                        + "\",\"type\":\"temp\",\"time\":"
                        + (base + i * 1000L)
                        + ",\"value\":"
                        + i
                        + "}")
            .collect(Collectors.joining(",", "[", "]"));
    Http.Response posted = http.send("POST", ingest("/api/v1/events"), "application/json", events);
    assertThat(posted.status()).as(posted.body()).isEqualTo(202);

    List<ConsumerRecord<byte[], byte[]>> letters = deadLetters(poisons.size());
    assertThat(letters).hasSize(poisons.size());
    for (Poison poison : poisons) {
      assertThat(letters)
          .as(
              "dead letter of %s on %s",
              new String(poison.value(), StandardCharsets.ISO_8859_1), poison.topic())
          .anySatisfy(
              letter -> {
                assertThat(letter.value()).isEqualTo(poison.value());
                assertThat(DeadLetters.header(letter.headers(), DeadLetters.ORIGIN_TOPIC))
                    .isEqualTo(poison.topic());
                assertThat(DeadLetters.header(letter.headers(), DeadLetters.STAGE))
                    .isEqualTo(poison.stage());
                assertThat(DeadLetters.header(letter.headers(), DeadLetters.ERROR_CLASS))
                    .isNotBlank();
                assertThat(DeadLetters.header(letter.headers(), DeadLetters.ORIGIN_OFFSET))
                    .isNotBlank();
              });
    }

    // The good records behind the poison: counted exactly, joined with the good reference data.
    long expectedSum = (long) GOOD_EVENTS * (GOOD_EVENTS + 1) / 2;
    await()
        .atMost(DEADLINE)
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              JsonNode windows = windows("by-source", "type=temp&source=" + source);
              assertThat(total(windows, "count")).isEqualTo(GOOD_EVENTS);
              assertThat(total(windows, "sum")).isEqualTo((double) expectedSum);
              assertThat(total(windows("by-source", "type=temp&source=" + direct), "count"))
                  .isEqualTo(DIRECT_ENRICHED);
              assertThat(
                      total(windows("by-region", "type=temp&reference.region=eu-poison"), "count"))
                  .isEqualTo(GOOD_EVENTS);
            });
    for (Service service : Service.values()) {
      assertThat(http.get(stack.service(service).readinessUrl()).status())
          .as(service.moduleName())
          .isEqualTo(200);
    }
  }

  private static JsonNode windows(String view, String key) {
    Http.Response response =
        http.get(stack.service(Service.QUERY).url("/api/v1/views/" + view + "/windows?" + key));
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return response.json().get("windows");
  }

  private static double total(JsonNode windows, String field) {
    double total = 0;
    for (JsonNode window : windows) {
      total += window.get(field).asDouble();
    }
    return total;
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static void send(
      KafkaProducer<byte[], byte[]> producer, String topic, String key, byte[] value)
      throws InterruptedException, ExecutionException, TimeoutException {
    producer.send(new ProducerRecord<>(topic, utf8(key), value)).get(30, TimeUnit.SECONDS);
  }

  private static List<ConsumerRecord<byte[], byte[]>> deadLetters(int expected) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "poison-dlq-reader");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(TOPICS.eventsDlq().name()));
      await()
          .atMost(DEADLINE)
          .pollInterval(Duration.ofMillis(100))
          .until(
              () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return records.size() >= expected;
              });
      // Anything more would be a good record dead-lettered by mistake.
      consumer.poll(Duration.ofSeconds(2)).forEach(records::add);
    }
    return records;
  }

  private static KafkaProducer<byte[], byte[]> producer() {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
  }

  private static URI ingest(String path) {
    return stack.service(Service.INGEST).url(path);
  }
}
