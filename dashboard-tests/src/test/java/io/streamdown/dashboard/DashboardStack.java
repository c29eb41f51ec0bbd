package io.streamdown.dashboard;

import io.streamdown.local.PortPlan;
import io.streamdown.local.Service;
import io.streamdown.local.StackLauncher;
import io.streamdown.local.StackOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The stack the dashboard tests run against: the repository's service jars on free ports, a topic
 * prefix of their own, a fresh data directory {@code target/dashboard-data-*} (kept after the run
 * for its logs), query-service told where the others' management ports are and, when given, the
 * SHA-256 of an API key of the {@code query} scope.
 */
final class DashboardStack {

  private DashboardStack() {}

  static Path home() {
    return Path.of(System.getProperty("streamdown.home", "..")).toAbsolutePath().normalize();
  }

  static Path targetDir() throws IOException {
    Path dir = Path.of(System.getProperty("streamdown.dashboard.dir", "target")).toAbsolutePath();
    Files.createDirectories(dir);
    return dir;
  }

  static StackLauncher start(String queryKeySha256) throws IOException {
    PortPlan ports = PortPlan.freePorts();
    List<String> queryArgs = new ArrayList<>();
    for (Service service : Service.values()) {
      queryArgs.add(
          "--streamdown.dashboard.services."
              + service.shortName()
              + "=http://localhost:"
              + ports.ports(service).management());
    }
    if (queryKeySha256 != null) {
      queryArgs.add("--streamdown.security.api-keys[0].name=dashboard");
      queryArgs.add("--streamdown.security.api-keys[0].sha256=" + queryKeySha256);
      queryArgs.add("--streamdown.security.api-keys[0].scopes=query");
    }
    StackOptions options =
        StackOptions.builder(home())
            .dataDir(Files.createTempDirectory(targetDir(), "dashboard-data-"))
            .ports(ports)
            .topicPrefix("dashboard.")
            .addServiceArgs(Service.QUERY, queryArgs)
            // Four JVMs starting at once on a shared two-core machine can take a while.
            .startTimeout(Duration.ofSeconds(300))
            .addJvmOptions(StackOptions.SHORT_LIVED_JVM_OPTIONS)
            .build();
    StackLauncher stack =
        new StackLauncher(options).onProgress(line -> System.out.println("[stack] " + line));
    stack.start();
    return stack;
  }

  /**
   * With {@code -Dstreamdown.dashboard.docs=true}, copies the screenshots to {@code docs/} (the
   * ones the README shows).
   */
  static void publishScreenshots(Path screenshots) throws IOException {
    if (!Boolean.getBoolean("streamdown.dashboard.docs") || screenshots == null
        || !Files.isDirectory(screenshots)) {
      return;
    }
    Path docs = Path.of(System.getProperty("streamdown.dashboard.docs.dir", "../docs"));
    try (var shots = Files.list(screenshots)) {
      for (Path shot : shots.toList()) {
        Files.copy(shot, docs.resolve(shot.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }
}
