package io.streamdown.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamdown.query.cluster.QueryCluster;
import io.streamdown.schemas.AggregatePartitioner;
import io.streamdown.schemas.Json;
import io.streamdown.schemas.TopicCatalog;
import io.streamdown.schemas.WindowAggregate;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import tools.jackson.databind.JsonNode;

/**
 * Three query-service instances (Spring contexts in this JVM, each with its own port and state
 * directory, one standby replica per store) against one in-JVM broker: every instance answers
 * every key identically and says which instance served it, {@code top} merges all instances, a
 * live stream opened on an instance that does not own its key gets the owner's updates, and after
 * one instance is closed the others keep answering (never a 5xx other than 503) and the stream
 * follows the key's new owner.
 */
class ScaleOutIT {

  private static final int PARTITIONS = 4;
  private static final int INSTANCES = 3;
  private static final String PREFIX = "scale.";
  private static final TopicCatalog TOPICS = new TopicCatalog(PREFIX);
  private static final long T0 = Instant.parse("2025-03-01T10:00:00Z").toEpochMilli();
  private static final long MINUTE = 60_000;
  private static final int GROUPS = 12;

  @TempDir static Path stateDirs;

  private static EmbeddedKafkaKraftBroker broker;
  private static final List<ConfigurableApplicationContext> contexts = new ArrayList<>();
  private static final List<Integer> ports = new ArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void startBrokerAndInstances() throws IOException {
    broker = TestBroker.start(PARTITIONS, TOPICS);
    for (int k = 0; k < INSTANCES; k++) {
      int port = freePort();
      ports.add(port);
      contexts.add(start(k, port));
    }
    // Every instance sees the whole group, with every partition active somewhere.
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () ->
                contexts.stream()
                    .allMatch(
                        context -> {
                          KafkaStreams streams =
                              context.getBean(StreamsBuilderFactoryBean.class).getKafkaStreams();
                          QueryCluster cluster = context.getBean(QueryCluster.class);
                          Map<?, Set<Integer>> active = cluster.activePartitions("by-source");
                          Set<Integer> all = new HashSet<>();
                          active.values().forEach(all::addAll);
                          return streams != null
                              && streams.state() == KafkaStreams.State.RUNNING
                              && active.size() == INSTANCES
                              && all.size() == PARTITIONS;
                        }));
  }

  private static ConfigurableApplicationContext start(int k, int port) {
    return new SpringApplicationBuilder(QueryApplication.class)
        .run(
            "--server.address=127.0.0.1",
            "--server.port=" + port,
            "--management.server.port=0",
            "--spring.kafka.bootstrap-servers=" + broker.getBrokersAsString(),
            "--spring.kafka.streams.state-dir=" + stateDirs.resolve("instance-" + k),
            "--spring.kafka.streams.application-id=streamdown-query-scale",
            "--spring.kafka.streams.properties.commit.interval.ms=100",
            "--spring.kafka.streams.properties.num.standby.replicas=1",
            "--spring.kafka.streams.properties.session.timeout.ms=6000",
            "--spring.kafka.streams.properties.heartbeat.interval.ms=500",
            "--streamdown.topics.prefix=" + PREFIX,
            "--streamdown.query.routing.timeout=2s",
            "--streamdown.query.stream.resubscribe-delay=300ms",
            "--streamdown.views[0].name=by-source",
            "--streamdown.views[0].group-by=type,source",
            "--streamdown.views[0].window.type=tumbling",
            "--streamdown.views[0].window.size=1m",
            "--streamdown.views[0].retention=1d");
  }

  @AfterAll
  static void stop() {
    contexts.forEach(
        context -> {
          if (context.isActive()) {
            context.close();
          }
        });
    if (broker != null) {
      broker.destroy();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static String source(int i) {
    return "dev-" + i;
  }

  /** Group i has i + 1 events in window T0: distinct counts, so the ranking is known. */
  private static int countOf(int i) {
    return i + 1;
  }

  @Test
  void everyInstanceAnswersEveryKeyAndAStreamFollowsItsOwner() throws Exception {
    try (KafkaProducer<byte[], byte[]> producer = producer()) {
      for (int i = 0; i < GROUPS; i++) {
        send(producer, Aggregates.withCount(
            TestViews.BY_SOURCE, List.of("temp", source(i)), T0, countOf(i)));
      }
    }

    // 1. Every instance answers every key, identically, naming the same serving instance.
    Map<Integer, String> owners = new HashMap<>();
    for (int i = 0; i < GROUPS; i++) {
      int group = i;
      Set<String> servedBy = new HashSet<>();
      for (int port : ports) {
        JsonNode rollup =
            awaitJson(
                port, rollupPath(group), body -> body.get("count").asLong() == countOf(group));
        assertThat(rollup.get("windows").asInt()).isEqualTo(1);
        JsonNode served = rollup.get("servedBy");
        servedBy.add(served.get("instance").asString());
        boolean local = served.get("instance").asString().equals("127.0.0.1:" + port);
        assertThat(served.get("route").asString()).isEqualTo(local ? "local" : "routed");
        assertThat(served.get("stale").asBoolean()).isFalse();
      }
      assertThat(servedBy).as("group %s served by one instance", group).hasSize(1);
      owners.put(group, servedBy.iterator().next());
    }
    assertThat(new HashSet<>(owners.values()))
        .as("keys spread over instances")
        .hasSizeGreaterThan(1);
    HttpResponse<String> windows = get(ports.get(0), windowsPath(0));
    assertThat(windows.statusCode()).isEqualTo(200);
    assertThat(windows.headers().firstValue("Streamdown-Served-By")).contains(owners.get(0));

    // 2. top merges every instance's partitions.
    List<String> expected = new ArrayList<>();
    for (int i = GROUPS - 1; i >= 0; i--) {
      expected.add(source(i));
    }
    for (int port : ports) {
      JsonNode top = getJson(port, "/api/v1/views/by-source/top?limit=" + GROUPS);
      assertThat(top.get("partial").asBoolean()).isFalse();
      assertThat(top.get("missingPartitions").size()).isZero();
      assertThat(top.get("servedBy").get("route").asString()).isEqualTo("scatter");
      assertThat(top.get("windowStart").asString()).isEqualTo(Instant.ofEpochMilli(T0).toString());
      List<String> ranked = new ArrayList<>();
      top.get("entries").forEach(entry -> ranked.add(entry.get("key").get("source").asString()));
      assertThat(ranked).isEqualTo(expected);
    }

    // 3. A stream on an instance that does not own the key gets the owner's update.
    int key = 0;
    int relayPort =
        ports.stream()
            .filter(p -> !owners.get(key).equals("127.0.0.1:" + p))
            .findFirst()
            .orElseThrow();
    List<String> events = new CopyOnWriteArrayList<>();
    var stream =
        http.sendAsync(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + relayPort + streamPath(key)))
                .header("Accept", "text/event-stream")
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofLines());
    HttpResponse<Stream<String>> streamResponse = stream.get();
    assertThat(streamResponse.statusCode()).isEqualTo(200);
    Thread reader = new Thread(() -> streamResponse.body().forEach(events::add));
    reader.setDaemon(true);
    reader.start();
    // The relay subscribes asynchronously: keep updating the window until an update arrives.
    String second = Instant.ofEpochMilli(T0 + MINUTE).toString();
    try (KafkaProducer<byte[], byte[]> producer = producer()) {
      int[] count = {5};
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(500))
          .until(
              () -> {
                send(producer, Aggregates.withCount(
                    TestViews.BY_SOURCE, List.of("temp", source(key)), T0 + MINUTE, count[0]++));
                return events.stream()
                    .anyMatch(line -> line.contains("\"start\":\"" + second + "\""));
              });
    }
    assertThat(events).contains("event:window");

    // 4. Close the key's owner: every key keeps being answered (or 503 + Retry-After, never
    //    another 5xx) by the others, and the stream follows the key to its new owner. During
    //    the rebalance an answer may come from a copy that is behind; it must say so.
    int ownerIndex = ports.indexOf(Integer.parseInt(owners.get(key).split(":")[1]));
    contexts.get(ownerIndex).close();
    List<Integer> alive = new ArrayList<>(ports);
    alive.remove(ownerIndex);
    Set<Integer> statuses = new HashSet<>();
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(250))
        .until(
            () -> {
              boolean allAnswered = true;
              for (int port : alive) {
                for (int i = 0; i < GROUPS; i++) {
                  HttpResponse<String> response = get(port, rollupPath(i));
                  statuses.add(response.statusCode());
                  if (response.statusCode() == 503) {
                    assertThat(response.headers().firstValue("Retry-After")).isPresent();
                    allAnswered = false;
                  } else {
                    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
                    JsonNode body = Json.MAPPER.readTree(response.body());
                    JsonNode served = body.get("servedBy");
                    if (!served.get("stale").asBoolean()) {
                      assertThat(body.get("count").asLong()).as(response.body())
                          .isEqualTo(countOf(i));
                    } else {
                      // A copy that says it is stale may answer with less, never with more,
                      // and when it answers with less its lag must say it is behind.
                      assertThat(body.get("count").asLong()).as(response.body())
                          .isLessThanOrEqualTo(countOf(i));
                      if (body.get("count").asLong() < countOf(i)) {
                        assertThat(served.get("lagOffsets").asLong()).as(response.body())
                            .isPositive();
                      }
                    }
                  }
                }
              }
              return allAnswered;
            });
    assertThat(statuses).allMatch(status -> status == 200 || status == 503);

    String third = Instant.ofEpochMilli(T0 + 2 * MINUTE).toString();
    try (KafkaProducer<byte[], byte[]> producer = producer()) {
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(500))
          .until(
              () -> {
                send(producer, Aggregates.withCount(
                    TestViews.BY_SOURCE, List.of("temp", source(key)), T0 + 2 * MINUTE, 1));
                return events.stream()
                    .anyMatch(line -> line.contains("\"start\":\"" + third + "\""));
              });
    }
    streamResponse.body().close();
  }

  private static String rollupPath(int group) {
    return "/api/v1/views/by-source/rollup?type=temp&source=" + source(group) + "&from=" + T0
        + "&to=" + T0;
  }

  private static String windowsPath(int group) {
    return "/api/v1/views/by-source/windows?type=temp&source=" + source(group) + "&from=" + T0
        + "&to=" + (T0 + 10 * MINUTE);
  }

  private static String streamPath(int group) {
    return "/api/v1/views/by-source/stream?type=temp&source=" + source(group);
  }

  private static void send(KafkaProducer<byte[], byte[]> producer, WindowAggregate aggregate)
      throws Exception {
    String group = aggregate.key().groupKey().encode();
    int partition = AggregatePartitioner.partition("by-source", group, PARTITIONS);
    producer
        .send(
            new ProducerRecord<>(
                TOPICS.aggregates().name(), partition, Json.write(aggregate.key()),
                Json.write(aggregate)))
        .get();
  }

  private static KafkaProducer<byte[], byte[]> producer() {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString());
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    return new KafkaProducer<>(props);
  }

  private JsonNode awaitJson(int port, String path, java.util.function.Predicate<JsonNode> ready) {
    return await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              HttpResponse<String> response = get(port, path);
              return response.statusCode() == 200 ? Json.MAPPER.readTree(response.body()) : null;
            },
            body -> body != null && ready.test(body));
  }

  private JsonNode getJson(int port, String path) throws Exception {
    HttpResponse<String> response = get(port, path);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return Json.MAPPER.readTree(response.body());
  }

  private HttpResponse<String> get(int port, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(10))
            .GET()
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
