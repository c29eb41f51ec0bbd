package io.streamdown.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import io.streamdown.e2e.Workload.Posted;
import io.streamdown.local.Service;
import io.streamdown.local.StackLauncher;
import io.streamdown.prometheus.PrometheusText;
import io.streamdown.schemas.DeadLetters;
import io.streamdown.schemas.QuantileSketches;
import io.streamdown.schemas.TopicCatalog;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;

/**
 * The whole pipeline as users run it: a real KRaft broker and the four services as separate
 * processes started by the same launcher as {@code ./streamdown up}. Posts reference data and a
 * known set of events (with duplicates, a late event and a poison record) and reads the exact
 * aggregates back through the query API.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PipelineEndToEndIT {

  private static final Duration PIPELINE_DEADLINE = Duration.ofSeconds(120);
  private static final String PREFIX = "e2e.";

  private static final Http http = new Http();
  private static StackLauncher stack;
  private static Workload workload;

  @BeforeAll
  static void startStack() throws Exception {
    stack = E2eStacks.start(E2eStacks.options("pipeline", PREFIX).build());
    // Whole minutes well in the past (but inside every retention), so the windows are closed
    // in wall-clock terms yet open in stream time until these events advance it.
    long now = System.currentTimeMillis();
    workload = new Workload(now - Math.floorMod(now, 60_000L) - 10 * 60_000L, 400, 20261122L);
  }

  @AfterAll
  static void stopStack() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  @Order(1)
  void referenceDataIsAccepted() {
    for (Map.Entry<String, String> entry : Workload.REGIONS.entrySet()) {
      Http.Response response =
          http.send(
              "PUT",
              ingest("/api/v1/reference/" + entry.getKey()),
              "application/json",
              "{\"region\":\"" + entry.getValue() + "\",\"site\":\"plant-" + entry.getKey() + "\"}");
      assertThat(response.status()).as(response.body()).isEqualTo(200);
    }
  }

  @Test
  @Order(2)
  void eventsAreAcceptedAsArraysNdjsonAndSingleObjects() {
    List<Posted> events = workload.events;
    int accepted = 0;
    int i = 0;
    while (i < events.size()) {
      List<Posted> chunk = events.subList(i, Math.min(i + 50, events.size()));
      Http.Response response =
          (i / 50) % 2 == 0
              ? http.send(
                  "POST",
                  ingest("/api/v1/events"),
                  "application/json",
                  chunk.stream().map(Posted::json).collect(Collectors.joining(",", "[", "]")))
              : http.send(
                  "POST",
                  ingest("/api/v1/events"),
                  "application/x-ndjson",
                  chunk.stream().map(Posted::json).collect(Collectors.joining("\n")));
      assertThat(response.status()).as(response.body()).isEqualTo(202);
      assertThat(response.json().get("accepted").asInt()).isEqualTo(chunk.size());
      accepted += chunk.size();
      i += chunk.size();
    }
    assertThat(accepted).isEqualTo(events.size());

    // A client retrying after a lost answer posts the same events again, one at a time too.
    for (Posted retry : events.subList(0, 20)) {
      Http.Response response =
          http.send("POST", ingest("/api/v1/events"), "application/json", retry.json());
      assertThat(response.status()).as(response.body()).isEqualTo(202);
      assertThat(response.json().get("eventIds").get(0).asString()).isEqualTo(retry.eventId());
    }
  }

  @Test
  @Order(3)
  void aPoisonRecordIsDeadLetteredAndALateEventIsCounted() {
    try (KafkaProducer<String, String> producer = producer()) {
      producer.send(new ProducerRecord<>(topics().eventsRaw().name(), "boiler-1", "{not json"));
      producer.flush();
    }
    // Older than every open window of its group once the workload has advanced stream time.
    Posted late = new Posted("e2e-late", "boiler-1", "temp", workload.base - 5 * 60_000L, 5);
    Http.Response response =
        http.send("POST", ingest("/api/v1/events"), "application/json", late.json());
    assertThat(response.status()).as(response.body()).isEqualTo(202);

    List<ConsumerRecord<byte[], byte[]>> letters = deadLetters();
    assertThat(letters).hasSize(1);
    ConsumerRecord<byte[], byte[]> letter = letters.get(0);
    assertThat(new String(letter.value(), StandardCharsets.UTF_8)).isEqualTo("{not json");
    assertThat(DeadLetters.header(letter.headers(), DeadLetters.STAGE)).isEqualTo("enrich");
    assertThat(DeadLetters.header(letter.headers(), DeadLetters.ORIGIN_TOPIC))
        .isEqualTo(topics().eventsRaw().name());

    await()
        .atMost(PIPELINE_DEADLINE)
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () ->
                assertThat(
                        metric(
                            Service.AGGREGATE,
                            "streamdown_aggregate_late_events_total",
                            "view",
                            "by-source"))
                    .isEqualTo(1.0));
  }

  @Test
  @Order(4)
  void everyWindowOfEveryKeyIsExact() {
    assertViewExact("by-source", List.of("type", "source"), Workload::bySource);
    assertViewExact("by-type", List.of("type"), Workload::byType);
    assertViewExact("by-region", List.of("type", "reference.region"), Workload::byRegion);
    // The late event never made it into a window, and duplicates were counted once.
    assertThat(metric(Service.ENRICH, "streamdown_enrich_events_total", "outcome", "duplicate"))
        .isGreaterThanOrEqualTo(20.0);
  }

  @Test
  @Order(5)
  void hoppingWindowsHoldEveryEventTheyCover() {
    for (String type : Workload.TYPES) {
      long expected = workload.events.stream().filter(e -> e.type().equals(type)).count();
      JsonNode windows =
          windows("by-type-5m", Map.of("type", type), workload.base, workload.base).get("windows");
      assertThat(windows).hasSize(1);
      assertThat(windows.get(0).get("count").asLong()).isEqualTo(expected);
    }
  }

  @Test
  @Order(6)
  void rollupsMergeSketchesOverTheRange() {
    Map<List<String>, Map<Long, List<Long>>> expected = workload.expected(Workload::byRegion);
    List<Long> values = new ArrayList<>();
    expected.get(List.of("temp", "eu-west")).values().forEach(values::addAll);

    JsonNode rollup =
        http.get(
                query(
                    "/api/v1/views/by-region/rollup",
                    params(
                        Map.of("type", "temp", "reference.region", "eu-west"),
                        workload.base,
                        workload.base + 60_000L)))
            .json();

    assertThat(rollup.get("count").asLong()).isEqualTo(values.size());
    assertThat(rollup.get("sum").asDouble())
        .isEqualTo(values.stream().mapToLong(Long::longValue).sum());
    assertThat(rollup.get("min").asDouble()).isEqualTo(values.stream().mapToLong(v -> v).min().orElseThrow());
    assertThat(rollup.get("max").asDouble()).isEqualTo(values.stream().mapToLong(v -> v).max().orElseThrow());
    assertQuantiles(rollup, values);
  }

  @Test
  @Order(7)
  void topRanksTheKeysOfAWindow() {
    Map<List<String>, Map<Long, List<Long>>> expected = workload.expected(Workload::bySource);
    long window = workload.base;
    Map<String, Integer> counts = new LinkedHashMap<>();
    expected.forEach(
        (group, windows) -> {
          List<Long> values = windows.get(window);
          if (values != null) {
            counts.put(group.get(1) + "/" + group.get(0), values.size());
          }
        });

    JsonNode top =
        http.get(query("/api/v1/views/by-source/top", "by=count&limit=3&at=" + window)).json();

    JsonNode entries = top.get("entries");
    assertThat(entries).hasSize(3);
    List<Integer> sorted = counts.values().stream().sorted((a, b) -> b - a).toList();
    for (int rank = 0; rank < 3; rank++) {
      JsonNode entry = entries.get(rank);
      String key = entry.get("key").get("source").asString() + "/" + entry.get("key").get("type").asString();
      assertThat(entry.get("count").asInt()).isEqualTo(counts.get(key)).isEqualTo(sorted.get(rank));
    }
  }

  private void assertViewExact(
      String view, List<String> fields, Function<Posted, List<String>> groupOf) {
    Map<List<String>, Map<Long, List<Long>>> expected = workload.expected(groupOf);
    assertThat(expected).isNotEmpty();
    expected.forEach(
        (group, windows) -> {
          Map<String, String> key = new LinkedHashMap<>();
          for (int i = 0; i < fields.size(); i++) {
            key.put(fields.get(i), group.get(i));
          }
          long from = workload.base - 10 * 60_000L;
          long to = workload.base + 120_000L;
          await()
              .atMost(PIPELINE_DEADLINE)
              .pollInterval(Duration.ofMillis(500))
              .untilAsserted(
                  () -> {
                    JsonNode actual = windows(view, key, from, to).get("windows");
                    assertThat(actual).as("%s %s", view, key).hasSize(windows.size());
                    int i = 0;
                    for (Map.Entry<Long, List<Long>> window : windows.entrySet()) {
                      JsonNode w = actual.get(i++);
                      List<Long> values = window.getValue();
                      assertThat(Instant.parse(w.get("start").asString()).toEpochMilli())
                          .isEqualTo(window.getKey());
                      assertThat(w.get("count").asLong()).as("count of %s %s", view, key).isEqualTo(values.size());
                      assertThat(w.get("sum").asDouble())
                          .isEqualTo(values.stream().mapToLong(Long::longValue).sum());
                      assertThat(w.get("min").asDouble())
                          .isEqualTo(values.stream().mapToLong(v -> v).min().orElseThrow());
                      assertThat(w.get("max").asDouble())
                          .isEqualTo(values.stream().mapToLong(v -> v).max().orElseThrow());
                      assertThat(w.get("mean").asDouble())
                          .isCloseTo(values.stream().mapToLong(v -> v).average().orElseThrow(), within(1e-9));
                      assertQuantiles(w, values);
                    }
                  });
        });
  }

  private static void assertQuantiles(JsonNode aggregate, List<Long> values) {
    for (String name : List.of("p50", "p90", "p99")) {
      double q = Integer.parseInt(name.substring(1)) / 100.0;
      double exact = Workload.exactQuantile(values, q);
      assertThat(aggregate.get(name).asDouble())
          .as(name)
          .isCloseTo(exact, within(exact * QuantileSketches.RELATIVE_ACCURACY + 1e-9));
    }
  }

  private static JsonNode windows(String view, Map<String, String> key, long from, long to) {
    Http.Response response =
        http.get(query("/api/v1/views/" + view + "/windows", params(key, from, to)));
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return response.json();
  }

  private static String params(Map<String, String> key, long from, long to) {
    return "from=" + from + "&to=" + to + Workload.keyParams(key);
  }

  /** The sum of a counter's series on a service's Prometheus endpoint whose label has a value. */
  private static double metric(Service service, String name, String label, String value) {
    String body = http.get(stack.service(service).urls().prometheus()).body();
    return PrometheusText.parse(body).sum(name, label, value);
  }

  private static List<ConsumerRecord<byte[], byte[]>> deadLetters() {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "e2e-dlq-reader");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topics().eventsDlq().name()));
      await()
          .atMost(PIPELINE_DEADLINE)
          .pollInterval(Duration.ofMillis(100))
          .until(
              () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return !records.isEmpty();
              });
    }
    return records;
  }

  private static KafkaProducer<String, String> producer() {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
    return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
  }

  private static TopicCatalog topics() {
    return new TopicCatalog(PREFIX);
  }

  private static URI ingest(String path) {
    return stack.service(Service.INGEST).url(path);
  }

  private static URI query(String path, String query) {
    return stack.service(Service.QUERY).url(path + "?" + query);
  }
}
