package io.streamdown.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A benchmark run stopped by SIGTERM (what Ctrl-C amounts to) in the middle of a workload stops
 * the stack it started (the services, then the broker's own JVM) and deletes the broker's data
 * and the Streams state, as a finished run does. The run is a child JVM on this test's class
 * path, against the repository's built jars.
 */
class BenchInterruptIT {

  private static final Pattern DATA = Pattern.compile("starting the local stack \\(data (.+)\\)");
  private static final Pattern STARTED = Pattern.compile("\\[stack] started \\S+ \\(pid (\\d+),");
  private static final Pattern BROKER =
      Pattern.compile("\\[broker] ready at \\S+ \\(pid (\\d+)\\)");

  @Test
  void aRunStoppedBySigtermStopsItsStackAndDeletesItsData() throws Exception {
    Path out = ItDirs.newDataDir("bench-interrupt-");
    Process run =
        ChildBench.command(
                "--fresh",
                "w1",
                "--duration",
                "60s",
                "--rate",
                "1000",
                "--single-rate",
                "100",
                "--out",
                out.toString())
            .redirectErrorStream(true)
            .start();
    List<String> lines = new CopyOnWriteArrayList<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(
                      new InputStreamReader(run.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                  lines.add(line);
                }
              } catch (IOException e) {
                lines.add("read failed: " + e);
              }
            });
    reader.start();
    try {
      // Under load: the stack is up and the first workload runs.
      await()
          .atMost(Duration.ofMinutes(3))
          .pollInterval(Duration.ofMillis(200))
          .until(
              () ->
                  lines.stream().anyMatch(line -> line.startsWith("w1-batch:")) || !run.isAlive());
      assertThat(run.isAlive()).as(String.join("\n", lines)).isTrue();
      Path data = Path.of(matches(lines, DATA).get(0));
      List<Long> services = new ArrayList<>();
      for (String pid : matches(lines, STARTED)) {
        services.add(Long.parseLong(pid));
      }
      assertThat(services).hasSize(4);
      long broker = Long.parseLong(matches(lines, BROKER).get(0));
      assertThat(services).doesNotContain(broker);
      assertThat(data.resolve("kafka")).exists();
      assertThat(data.resolve("state")).exists();

      run.destroy(); // SIGTERM

      assertThat(run.waitFor(2, TimeUnit.MINUTES)).as(String.join("\n", lines)).isTrue();
      assertThat(data.resolve("kafka")).doesNotExist();
      assertThat(data.resolve("state")).doesNotExist();
      // The services' logs stay, as after a finished run.
      try (var logs = Files.list(data.resolve("logs"))) {
        assertThat(logs).isNotEmpty();
      }
      for (long pid : services) {
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
            .as("service pid %d", pid)
            .isFalse();
      }
      // The broker's JVM is stopped after the services (it would race their shutdown otherwise)
      // and its own log says it stopped cleanly, not that it was killed.
      assertThat(ProcessHandle.of(broker).map(ProcessHandle::isAlive).orElse(false))
          .as("broker pid %d", broker)
          .isFalse();
      assertThat(Files.readString(data.resolve("logs/broker.log")))
          .containsPattern("Kafka broker at localhost:\\d+ stopped");
    } finally {
      run.destroyForcibly();
      reader.join(10_000);
    }
  }

  /** The first group of every line matching {@code pattern}; at least one must. */
  private static List<String> matches(List<String> lines, Pattern pattern) {
    List<String> found = new ArrayList<>();
    for (String line : lines) {
      Matcher matcher = pattern.matcher(line);
      if (matcher.find()) {
        found.add(matcher.group(1));
      }
    }
    assertThat(found)
        .as("lines matching %s in:%n%s", pattern, String.join("\n", lines))
        .isNotEmpty();
    return found;
  }
}
