package io.streamdown.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The alert rules, checked by Prometheus' own {@code promtool}: the file is valid ({@code check
 * rules}) and each alert fires exactly when its unit tests in {@code alerts.test.yml} say ({@code
 * test rules}, which evaluates the rules over synthetic series).
 */
class AlertRulesTest {

  private static final Path RULES = Repository.file("ops/prometheus/alerts.yml");
  private static final Path RULE_TESTS = Repository.file("ops/prometheus/alerts.test.yml");

  @Test
  void promtoolAcceptsTheRules() {
    ToolRun run =
        ToolRun.run(
            Repository.home(), List.of(promtool().toString(), "check", "rules", RULES.toString()));
    assertThat(run.exitCode()).as(run.describe()).isZero();
    assertThat(run.output()).as(run.describe()).contains("SUCCESS: 6 rules found");
  }

  @Test
  void everyAlertFiresWhenItsUnitTestsSay() {
    ToolRun run =
        ToolRun.run(
            RULE_TESTS.getParent(),
            List.of(promtool().toString(), "test", "rules", RULE_TESTS.toString()));
    assertThat(run.exitCode()).as(run.describe()).isZero();
    assertThat(run.output()).as(run.describe()).contains("SUCCESS");
  }

  @Test
  void promtoolAcceptsTheComposePrometheusConfig() {
    Path config = Repository.file("ops/prometheus/prometheus.yml");
    ToolRun run =
        ToolRun.run(
            config.getParent(),
            List.of(promtool().toString(), "check", "config", config.toString()));
    assertThat(run.exitCode()).as(run.describe()).isZero();
  }

  static Path promtool() {
    Optional<Path> promtool = Repository.tool("promtool");
    assumeTrue(
        promtool.isPresent(),
        "promtool is not on the PATH (Debian: apt-get install prometheus; .ci/run installs it)");
    return promtool.get();
  }
}
