package io.streamdown.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A service started with the watchdog agent stops by itself when the watched process ends. */
class ParentWatchdogIT {

  @TempDir Path home;

  @Test
  void serviceShutsDownGracefullyWhenTheWatchedProcessDies() throws Exception {
    FakeServiceJars.install(home);
    StackOptions options = StackOptions.builder(home).ports(PortPlan.freePorts()).build();
    Path agent = ParentWatchdogJar.write(options.runDir().resolve("parent-watchdog.jar"));
    // Stands in for a launcher that is killed with SIGKILL and runs no shutdown hook.
    Process launcher = new ProcessBuilder("sleep", "600").start();
    ServiceProcess service = null;
    try {
      List<String> command =
          ServiceCommand.build(
              options,
              Service.INGEST,
              ServiceCommand.currentJava(),
              Optional.of(agent),
              launcher.pid());
      service =
          ServiceProcess.start(
              Service.INGEST,
              options.ports().ports(Service.INGEST),
              command,
              options.logFile(Service.INGEST),
              home);
      service.awaitHealthy(Duration.ofSeconds(60));

      launcher.destroyForcibly();

      ServiceProcess watched = service;
      Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> !watched.isAlive());
      assertThat(Files.readString(service.logFile()))
          .contains("launcher process " + launcher.pid() + " is gone")
          .contains("fake service stopping");
    } finally {
      launcher.destroyForcibly();
      if (service != null) {
        service.stop(Duration.ofSeconds(10));
      }
    }
  }
}
