package io.streamdown.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamdown.local.LocalKafkaBroker;
import io.streamdown.local.PortCheck;
import io.streamdown.local.StackOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Camel peer of W1 as the benchmark starts it (a child JVM from {@code bench-camel/target})
 * against a real broker: an accepted POST is one record with the posted body and the event's source
 * as its key, already on the topic when the 202 arrives; other methods and bodies that are not one
 * event write nothing.
 */
class CamelPeerIT {

  private static final String TOPIC = "it.w1.camel";

  private static LocalKafkaBroker broker;
  private static CamelPeer peer;
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeAll
  static void startBrokerAndPeer() throws Exception {
    Path data = ItDirs.newDataDir("camel-it-");
    int[] ports = PortCheck.freePorts(2);
    broker = LocalKafkaBroker.start(data.resolve("kafka"), ports[0], ports[1]);
    try (PipelineLag admin = new PipelineLag(broker.bootstrapServers())) {
      admin.createTopic(TOPIC, 3);
      assertThat(admin.partitions(TOPIC)).isEqualTo(3);
    }
    peer =
        CamelPeer.start(
            ItDirs.home(),
            broker.bootstrapServers(),
            TOPIC,
            StackOptions.DEFAULT_JVM_OPTIONS,
            data.resolve("camel-peer.log"));
  }

  @AfterAll
  static void stop() {
    if (peer != null) {
      peer.close();
      assertThat(ProcessHandle.of(peer.pid()).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    }
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void acceptedEventsAreRecordsKeyedBySourceAndNothingElseIsWritten() throws Exception {
    URI events = peer.base().resolve("/api/v1/events");
    String valid = new Ysb(7).next(System.currentTimeMillis()).json();

    assertThat(send(HttpRequest.newBuilder(events).GET()).statusCode()).isEqualTo(405);
    assertThat(send(HttpRequest.newBuilder(events).PUT(body(valid))).statusCode()).isEqualTo(405);
    assertThat(post(events, "{\"source\":\"ad-1\",")).isEqualTo(400);
    assertThat(post(events, "{\"type\":\"view\"}")).isEqualTo(400);
    assertThat(post(events, "{\"source\":42}")).isEqualTo(400);
    assertThat(post(events, "[" + valid + "]")).isEqualTo(400);
    assertThat(post(events, valid + valid)).isEqualTo(400);
    assertThat(post(events, "")).isEqualTo(400);
    assertThat(records()).isEmpty();

    Ysb ysb = new Ysb(42);
    List<Map.Entry<String, String>> posted = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      Ysb.YsbEvent event = ysb.next(System.currentTimeMillis());
      HttpResponse<String> response =
          send(
              HttpRequest.newBuilder(events)
                  .header("Content-Type", "application/json")
                  .POST(body(event.json())));
      assertThat(response.statusCode()).isEqualTo(202);
      assertThat(response.body()).isEqualTo("{\"accepted\":1}");
      posted.add(Map.entry(event.adId(), event.json()));
    }

    // The route answers only after the broker acknowledged, so the records are readable now.
    assertThat(records()).containsExactlyInAnyOrderElementsOf(posted);
  }

  private static HttpRequest.BodyPublisher body(String text) {
    return HttpRequest.BodyPublishers.ofString(text);
  }

  private static int post(URI uri, String text) throws Exception {
    return send(HttpRequest.newBuilder(uri)
            .header("Content-Type", "application/json")
            .POST(body(text)))
        .statusCode();
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return HTTP.send(
        request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Every record of the topic, as (key, value), up to the end offsets of this moment. */
  private static List<Map.Entry<String, String>> records() {
    return TopicContents.read(broker.bootstrapServers(), TOPIC, Duration.ofSeconds(30)).stream()
        .map(record -> Map.entry(record.key(), new String(record.value(), StandardCharsets.UTF_8)))
        .toList();
  }
}
