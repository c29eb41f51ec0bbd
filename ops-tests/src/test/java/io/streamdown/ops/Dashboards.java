package io.streamdown.ops;

import io.streamdown.schemas.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;

/** The Grafana dashboards under {@code ops/grafana/dashboards} and the queries of their panels. */
final class Dashboards {

  static final Path DIR = Repository.file("ops/grafana/dashboards");

  /** One query of one panel. */
  record Query(String dashboard, String panel, String expr) {

    /** The expression with Grafana's variables replaced, ready for Prometheus' API. */
    String resolve(String job) {
      return expr.replace("$__rate_interval", "1m").replace("$job", job);
    }
  }

  private Dashboards() {}

  static List<Path> files() {
    try (Stream<Path> files = Files.list(DIR)) {
      return files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode read(Path file) {
    try {
      return Json.MAPPER.readTree(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<Query> queries() {
    List<Query> queries = new ArrayList<>();
    for (Path file : files()) {
      JsonNode dashboard = read(file);
      for (JsonNode panel : dashboard.get("panels")) {
        for (JsonNode target : panel.path("targets")) {
          queries.add(
              new Query(
                  dashboard.get("uid").asString(),
                  panel.get("title").asString(),
                  target.get("expr").asString()));
        }
      }
    }
    return queries;
  }
}
