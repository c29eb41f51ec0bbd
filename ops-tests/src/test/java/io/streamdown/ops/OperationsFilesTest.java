package io.streamdown.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;

/**
 * Structural checks of the operations files that no tool here makes: dashboards are provisioned
 * against the data source that exists, panels are unique, and every metric a dashboard or alert
 * uses is one the metrics table documents (so a renamed meter cannot silently empty a panel).
 */
class OperationsFilesTest {

  private static final Pattern METRIC =
      Pattern.compile("\\b((?:streamdown|kafka|jvm|process|system|http|up)(?:_[a-z0-9]+)+)\\b");
  private static final Pattern SUFFIX = Pattern.compile("_(bucket|count|sum)$");

  @Test
  void dashboardsUseTheProvisionedDataSourceAndUniquePanels() throws IOException {
    Map<String, Object> datasources =
        new Yaml()
            .load(
                Files.readString(
                    Repository.file("ops/grafana/provisioning/datasources/prometheus.yml")));
    @SuppressWarnings("unchecked")
    String uid =
        ((List<Map<String, Object>>) datasources.get("datasources")).get(0).get("uid").toString();

    List<Path> files = Dashboards.files();
    assertThat(files).hasSizeGreaterThanOrEqualTo(2);
    Set<String> uids = new HashSet<>();
    for (Path file : files) {
      JsonNode dashboard = Dashboards.read(file);
      assertThat(uids.add(dashboard.get("uid").asString())).as("uid of " + file).isTrue();
      Set<Integer> ids = new HashSet<>();
      for (JsonNode panel : dashboard.get("panels")) {
        assertThat(ids.add(panel.get("id").asInt()))
            .as(file + " panel " + panel.get("id"))
            .isTrue();
        assertThat(panel.get("datasource").get("uid").asString()).isEqualTo(uid);
        assertThat(panel.get("targets")).as(panel.get("title").asString()).isNotEmpty();
        for (JsonNode target : panel.get("targets")) {
          assertThat(target.get("datasource").get("uid").asString()).isEqualTo(uid);
        }
      }
    }
  }

  @Test
  void everyMetricOfTheDashboardsAndAlertsIsDocumented() throws IOException {
    String documented = Files.readString(Repository.file("docs/metrics.md"));
    List<String> expressions = new ArrayList<>();
    Dashboards.queries().forEach(q -> expressions.add(q.expr()));
    expressions.add(Files.readString(Repository.file("ops/prometheus/alerts.yml")));

    Set<String> used = new TreeSet<>();
    for (String expression : expressions) {
      // Label values and annotation text are not metric names.
      Matcher matcher = METRIC.matcher(expression.replaceAll("\"[^\"]*\"", "\"\""));
      while (matcher.find()) {
        used.add(SUFFIX.matcher(matcher.group(1)).replaceAll(""));
      }
    }
    used.remove("up");
    assertThat(used)
        .contains("streamdown_freshness_queryable_seconds", "kafka_stream_thread_process_total");
    assertThat(used)
        .allSatisfy(
            metric ->
                assertThat(documented).as("docs/metrics.md names " + metric).contains(metric));
  }
}
