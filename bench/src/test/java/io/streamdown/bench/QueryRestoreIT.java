package io.streamdown.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamdown.schemas.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The restore workload at a tiny size, end to end against the repository's built jars: a child
 * JVM runs {@code bench restore}, whose query instance, restarted without its state directory,
 * must answer every sampled window as written (the harness cannot rot, and the real service's
 * replay of {@code aggregates} is checked where it runs).
 */
class QueryRestoreIT {

  @Test
  void queryWithoutItsStateAnswersEveryWindowAgain() throws Exception {
    Path out = ItDirs.newDataDir("bench-restore-");
    Path log = out.resolve("run.log");
    Process run =
        ChildBench.command(
                "--fresh", "restore", "--restore-windows", "3000", "--out", out.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    try {
      assertThat(run.waitFor(10, TimeUnit.MINUTES)).as("the run ends").isTrue();
      String output = Files.readString(log, StandardCharsets.UTF_8);
      assertThat(run.exitValue()).as(output).isZero();

      JsonNode summary = Json.MAPPER.readTree(Files.readString(out.resolve("latest.json")));
      assertThat(summary.get("restore_windows").asLong()).isEqualTo(3000);
      assertThat(summary.get("restore_records").asLong()).isGreaterThanOrEqualTo(3000);
      assertThat(summary.get("restore_kept_s").asDouble()).isPositive();
      assertThat(summary.get("restore_wiped_s").asDouble()).isPositive();
      // Three restarts of each kind happened, the lost-state ones after the state was gone.
      assertThat(output).contains("restore 3: state kept", "restore 3: state lost");

      Path report;
      try (Stream<Path> files = Files.list(out)) {
        report =
            files.filter(f -> f.getFileName().toString().endsWith(".md")).findFirst().orElseThrow();
      }
      String row =
          Files.readAllLines(report, StandardCharsets.UTF_8).stream()
              .filter(line -> line.startsWith("| Restore |"))
              .findFirst()
              .orElseThrow();
      assertThat(row)
          // 3,000 windows are 10 of each of the 300 groups: every one of them is checked.
          .contains("10 sampled windows of every group answered as written")
          .doesNotContain("WRONG");
    } finally {
      run.destroyForcibly();
    }
  }
}
