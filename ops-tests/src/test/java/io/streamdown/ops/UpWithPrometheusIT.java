package io.streamdown.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.streamdown.local.PortCheck;
import io.streamdown.schemas.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * {@code ./streamdown up --with-prometheus}: the script starts Prometheus next to the stack with a
 * scrape job per service at the ports the launcher uses and the project's alert rules, and stops it
 * when the stack stops. Runs with {@code --broker-only} (the scrape targets are then down, which is
 * all this needs to see) on free ports, in a session of its own so it can be stopped the way a
 * terminal's Ctrl-C stops it: a signal to the whole process group.
 */
class UpWithPrometheusIT {

  private static final Duration DEADLINE = Duration.ofSeconds(90);

  @Test
  void upWithPrometheusScrapesTheStackAndStopsWithIt() throws Exception {
    assumeTrue(
        Repository.tool("prometheus").isPresent() && Repository.tool("setsid").isPresent(),
        "prometheus (Debian: apt-get install prometheus) or setsid is not on the PATH");
    int[] ports = PortCheck.freePorts(3);
    Path data = Files.createTempDirectory(Repository.buildDir(), "up-prometheus-");
    int httpBase = 20_000 + (ports[2] % 20_000);
    List<String> command =
        List.of(
            "setsid",
            Repository.file("streamdown").toString(),
            "up",
            "--no-build",
            "--broker-only",
            "--with-prometheus",
            "--prometheus-port",
            Integer.toString(ports[0]),
            "--broker-port",
            Integer.toString(ports[1]),
            "--controller-port",
            Integer.toString(ports[2]),
            "--http-port-base",
            Integer.toString(httpBase),
            "--data",
            data.toString());
    Process script =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(data.resolve("up.out").toFile())
            .start();
    List<ProcessHandle> started = new ArrayList<>();
    try {
      HttpClient http = HttpClient.newHttpClient();
      URI targets = URI.create("http://127.0.0.1:" + ports[0] + "/api/v1/targets");
      await()
          .atMost(DEADLINE)
          .pollInterval(Duration.ofMillis(500))
          .ignoreExceptions()
          .untilAsserted(
              () -> {
                JsonNode answer =
                    Json.MAPPER.readTree(
                        http.send(
                                HttpRequest.newBuilder(targets).build(),
                                HttpResponse.BodyHandlers.ofString())
                            .body());
                Set<String> scraped = new TreeSet<>();
                for (JsonNode target : answer.get("data").get("activeTargets")) {
                  scraped.add(
                      target.get("labels").get("job").asString()
                          + " "
                          + target.get("scrapeUrl").asString());
                }
                assertThat(scraped)
                    .containsExactly(
                        "aggregate-service http://localhost:"
                            + (httpBase + 1003)
                            + "/actuator/prometheus",
                        "enrich-service http://localhost:"
                            + (httpBase + 1002)
                            + "/actuator/prometheus",
                        "ingest-service http://localhost:"
                            + (httpBase + 1001)
                            + "/actuator/prometheus",
                        "query-service http://localhost:"
                            + (httpBase + 1004)
                            + "/actuator/prometheus");
              });
      URI rules = URI.create("http://127.0.0.1:" + ports[0] + "/api/v1/rules");
      String body =
          http.send(HttpRequest.newBuilder(rules).build(), HttpResponse.BodyHandlers.ofString())
              .body();
      assertThat(body).contains("StreamdownInstanceDown", "StreamdownDeadLetters");
      // Wait until the launcher is up too, so the stop below exercises the whole shutdown.
      await()
          .atMost(DEADLINE)
          .pollInterval(Duration.ofMillis(500))
          .until(() -> Files.readString(data.resolve("up.out")).contains("Streamdown is up"));
      script.toHandle().descendants().forEach(started::add);
      assertThat(started).anyMatch(p -> p.info().command().orElse("").endsWith("prometheus"));
    } finally {
      // What Ctrl-C does in a terminal: a signal to the script's whole process group.
      ToolRun.run(Repository.home(), List.of("kill", "-TERM", "--", "-" + script.pid()));
      assertThat(script.waitFor(60, java.util.concurrent.TimeUnit.SECONDS))
          .as(Files.readString(data.resolve("up.out")))
          .isTrue();
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> started.stream().noneMatch(ProcessHandle::isAlive));
    assertThat(Files.readString(data.resolve("up.out"))).contains("streamdown: stopped");
  }
}
