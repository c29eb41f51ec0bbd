package io.streamdown.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamdown.local.LocalKafkaBroker;
import io.streamdown.local.PortCheck;
import io.streamdown.local.Service;
import io.streamdown.local.StackLauncher;
import java.net.URI;
import java.time.Duration;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The services against the official {@code apache/kafka} image that compose runs (Testcontainers),
 * in every run: events posted to ingest are aggregated and queryable, exactly. Skipped, with the
 * reason in the report, where no Docker engine answers; {@code -Dstreamdown.e2e.broker=container}
 * runs the whole suite against that container instead. The same check against a separately
 * started in-JVM broker runs everywhere.
 */
class ContainerBrokerIT {

  private static final int EVENTS = 50;

  private final Http http = new Http();

  @Test
  void thePipelineCountsExactlyOnTheContainerBroker() throws Exception {
    pipelineCountsExactlyOn(TestBroker.containerBootstrapServers(), "container");
  }

  /**
   * The same through a broker the launcher did not start, here one in this JVM: what the container
   * variant relies on, checked also where no Docker engine runs.
   */
  @Test
  void thePipelineCountsExactlyOnABrokerTheLauncherDidNotStart() throws Exception {
    int[] ports = PortCheck.freePorts(2);
    java.nio.file.Path data = E2eStacks.dataDir("external").resolve("kafka");
    try (LocalKafkaBroker broker = LocalKafkaBroker.start(data, ports[0], ports[1])) {
      pipelineCountsExactlyOn(broker.bootstrapServers(), "external");
    }
  }

  private void pipelineCountsExactlyOn(String bootstrap, String name) throws Exception {
    try (StackLauncher stack =
        E2eStacks.launcher(E2eStacks.options(name, name + ".").partitions(2).build())
            .useExternalBroker(bootstrap)) {
      stack.start();
      assertThat(stack.bootstrapServers()).isEqualTo(bootstrap);
      long now = System.currentTimeMillis();
      long window = now - Math.floorMod(now, 60_000L) - 5 * 60_000L;
      String body =
          IntStream.range(0, EVENTS)
              .mapToObj(
                  i ->
                      "{\"eventId\":\"c-"
                          + i
                          + "\",\"source\":\"c-1\",\"type\":\"temp\",\"time\":"
                          + (window + i)
                          + ",\"value\":"
                          + i
                          + "}")
              .collect(Collectors.joining(",", "[", "]"));
      URI events = stack.service(Service.INGEST).url("/api/v1/events");
      Http.Response accepted = http.send("POST", events, "application/json", body);
      assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
      // Posted twice, as a retrying client would: still counted once.
      assertThat(http.send("POST", events, "application/json", body).status()).isEqualTo(202);

      URI windows =
          stack
              .service(Service.QUERY)
              .url(
                  "/api/v1/views/by-source/windows?type=temp&source=c-1&from="
                      + window
                      + "&to="
                      + window);
      long expectedSum = IntStream.range(0, EVENTS).sum();
      await()
          .atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofSeconds(1))
          .untilAsserted(
              () -> {
                Http.Response response = http.get(windows);
                assertThat(response.status()).as(response.body()).isEqualTo(200);
                assertThat(response.json().get("windows")).hasSize(1);
                assertThat(response.json().get("windows").get(0).get("count").asLong())
                    .isEqualTo(EVENTS);
                assertThat(response.json().get("windows").get(0).get("sum").asDouble())
                    .isEqualTo((double) expectedSum);
              });
    }
  }
}
