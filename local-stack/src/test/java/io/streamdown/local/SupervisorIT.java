package io.streamdown.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The supervisor against real processes: a service killed with SIGKILL is reported and comes back
 * on its ports with back-off; one stopped on purpose stays stopped.
 */
class SupervisorIT {

  private static final Duration WITHIN = Duration.ofSeconds(60);

  @TempDir Path home;

  @Test
  void restartsAKilledServiceWithBackOffAndLeavesAStoppedOneAlone() throws Exception {
    FakeServiceJars.install(home);
    StackOptions options =
        StackOptions.builder(home)
            .ports(PortPlan.freePorts())
            .topicPrefix("sup.")
            .partitions(1)
            .services(List.of(Service.INGEST, Service.QUERY))
            .startTimeout(Duration.ofSeconds(120))
            .build();
    List<String> reports = new CopyOnWriteArrayList<>();

    try (StackLauncher stack = StackLauncher.start(options);
        Supervisor supervisor =
            Supervisor.watch(
                stack,
                reports::add,
                Duration.ofMillis(200),
                Duration.ofSeconds(5),
                Duration.ofMinutes(1))) {
      ServiceProcess first = stack.service(Service.QUERY);

      ProcessHandle.of(first.pid()).orElseThrow().destroyForcibly();

      await().atMost(WITHIN).until(() -> supervisor.restarts() == 1);
      ServiceProcess second = stack.service(Service.QUERY);
      assertThat(second.pid()).isNotEqualTo(first.pid());
      assertThat(second.ports()).isEqualTo(first.ports());
      await()
          .atMost(WITHIN)
          .until(
              () -> reports.stream().anyMatch(r -> r.startsWith("query-service is ready again")));
      assertThat(reports)
          .anyMatch(
              r ->
                  r.startsWith("query-service exited unexpectedly (exit code 137)")
                      && r.contains("restarting in 0.2 s"));

      // A second quick failure waits twice as long.
      ProcessHandle.of(second.pid()).orElseThrow().destroyForcibly();
      await().atMost(WITHIN).until(() -> supervisor.restarts() == 2);
      assertThat(reports)
          .filteredOn(r -> r.startsWith("query-service exited unexpectedly"))
          .hasSize(2)
          .last()
          .asString()
          .contains("restarting in 0.4 s");
      assertThat(stack.service(Service.QUERY).isAlive()).isTrue();
      // The log is appended across restarts: the output of the killed runs is still there.
      Path log = stack.service(Service.QUERY).logFile();
      await()
          .atMost(WITHIN)
          .until(() -> Files.readString(log).split("fake service args:", -1).length - 1 == 3);

      // Stopped on purpose: not restarted.
      stack.stopService(Service.INGEST);
      await()
          .during(Duration.ofSeconds(2))
          .atMost(Duration.ofSeconds(5))
          .until(() -> supervisor.restarts() == 2);
      assertThat(stack.services())
          .extracting(ServiceProcess::service)
          .containsExactly(Service.QUERY);
      assertThat(reports).noneMatch(r -> r.startsWith("ingest-service"));
    }
  }
}
