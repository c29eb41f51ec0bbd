package io.streamdown.ops;

import static org.awaitility.Awaitility.await;

import io.streamdown.schemas.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;

/**
 * A real Prometheus server run from its binary for a test: a generated configuration that scrapes
 * the given targets every 2 s and loads the given rule files, a data directory of its own, and a
 * small client for its HTTP API ({@code /api/v1/...}).
 */
final class PrometheusServer implements AutoCloseable {

  private static final Duration START_DEADLINE = Duration.ofSeconds(60);

  private final Process process;
  private final URI base;
  private final Path log;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private PrometheusServer(Process process, URI base, Path log) {
    this.process = process;
    this.base = base;
    this.log = log;
  }

  /**
   * Writes {@code prometheus.yml} into {@code dir}, starts the binary on {@code port} and waits
   * until it answers ready.
   *
   * @param jobs job name to its {@code host:port} targets, scraped at {@code /actuator/prometheus}
   */
  static PrometheusServer start(
      Path binary, Path dir, int port, Map<String, List<String>> jobs, List<Path> ruleFiles)
      throws IOException {
    Files.createDirectories(dir);
    Path config = dir.resolve("prometheus.yml");
    Files.writeString(config, scrapeConfig(jobs, ruleFiles));
    Path log = dir.resolve("prometheus.log");
    Process process =
        new ProcessBuilder(
                binary.toString(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port,
                "--log.level=warn")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    PrometheusServer server =
        new PrometheusServer(process, URI.create("http://127.0.0.1:" + port), log);
    // Also when the test JVM ends without running the tests' clean-up.
    Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
    try {
      await()
          .atMost(START_DEADLINE)
          .pollInterval(Duration.ofMillis(200))
          .until(
              () -> {
                if (!process.isAlive()) {
                  throw new IllegalStateException(
                      "prometheus exited with " + process.exitValue() + ": " + server.logText());
                }
                return server.status("/-/ready") == 200;
              });
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
    return server;
  }

  /** The configuration: one job per service, scraped every 2 s; rules evaluated every second. */
  static String scrapeConfig(Map<String, List<String>> jobs, List<Path> ruleFiles) {
    StringBuilder yaml = new StringBuilder();
    yaml.append("global:\n  scrape_interval: 2s\n  scrape_timeout: 2s\n")
        .append("  evaluation_interval: 1s\n");
    if (!ruleFiles.isEmpty()) {
      yaml.append("rule_files:\n");
      ruleFiles.forEach(file -> yaml.append("  - '").append(file).append("'\n"));
    }
    yaml.append("scrape_configs:\n");
    jobs.forEach(
        (job, targets) -> {
          yaml.append("  - job_name: '")
              .append(job)
              .append("'\n")
              .append("    metrics_path: /actuator/prometheus\n")
              .append("    static_configs:\n      - targets:\n");
          targets.forEach(target -> yaml.append("          - '").append(target).append("'\n"));
        });
    return yaml.toString();
  }

  /** {@code GET /api/v1/<path>}; the {@code data} member of a successful answer. */
  JsonNode api(String path, Map<String, String> params) {
    StringBuilder query = new StringBuilder();
    params.forEach(
        (name, value) ->
            query
                .append(query.isEmpty() ? "?" : "&")
                .append(name)
                .append('=')
                .append(URLEncoder.encode(value, StandardCharsets.UTF_8)));
    String body = get("/api/v1/" + path + query).body();
    JsonNode answer = Json.MAPPER.readTree(body);
    if (!"success".equals(answer.path("status").asString())) {
      throw new IllegalStateException("Prometheus answered " + body);
    }
    return answer.get("data");
  }

  /** The samples of an instant query: each result's labels and value. */
  List<Sample> query(String promql) {
    JsonNode data = api("query", Map.of("query", promql));
    List<Sample> samples = new ArrayList<>();
    for (JsonNode result : data.get("result")) {
      Map<String, String> labels = new java.util.TreeMap<>();
      result
          .get("metric")
          .properties()
          .forEach(e -> labels.put(e.getKey(), e.getValue().asString()));
      samples.add(new Sample(labels, Double.parseDouble(result.get("value").get(1).asString())));
    }
    return samples;
  }

  /** The sum of an instant query's values; 0 when it has no result. */
  double sum(String promql) {
    return query(promql).stream().mapToDouble(Sample::value).sum();
  }

  /** The server's log so far, for failure messages. */
  String logText() {
    try {
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  private int status(String path) {
    try {
      return get(path).statusCode();
    } catch (UncheckedIOException e) {
      return -1;
    }
  }

  private HttpResponse<String> get(String pathAndQuery) {
    try {
      return http.send(
          HttpRequest.newBuilder(base.resolve(pathAndQuery))
              .timeout(Duration.ofSeconds(10))
              .build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** One series of a query result. */
  record Sample(Map<String, String> labels, double value) {}
}
