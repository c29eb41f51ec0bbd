package io.streamdown.e2e;

import io.streamdown.local.PortPlan;
import io.streamdown.local.StackLauncher;
import io.streamdown.local.StackOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The stack each system test runs against: the repository's service jars, free ports, its own
 * topic prefix, the broker {@link TestBroker} chooses, a fresh data directory {@code
 * target/e2e-data-<name>-*}, and the quick JIT compiler alone ({@link
 * StackOptions#SHORT_LIVED_JVM_OPTIONS}: a test's stack lives a minute). The data stays after the run (`mvn clean` removes it) so that CI can
 * show the services' logs of a failed test.
 */
final class E2eStacks {

  private E2eStacks() {}

  /**
   * Options for a test's stack; the caller may change them (partitions, views) before building.
   * {@code -Dstreamdown.e2e.app-args="--a=b --c=d"} gives every service of every stack those
   * arguments too, so the system tests can run with a setting that is off by default.
   */
  static StackOptions.Builder options(String name, String topicPrefix) throws IOException {
    return StackOptions.builder(home())
        .dataDir(dataDir(name))
        .ports(PortPlan.freePorts())
        .topicPrefix(topicPrefix)
        .addJvmOptions(StackOptions.SHORT_LIVED_JVM_OPTIONS)
        .addAppArgs(extraAppArgs(System.getProperty("streamdown.e2e.app-args", "")));
  }

  /** The arguments of {@code -Dstreamdown.e2e.app-args}, split at whitespace; none if blank. */
  static List<String> extraAppArgs(String property) {
    String trimmed = property.trim();
    return trimmed.isEmpty() ? List.of() : List.of(trimmed.split("\\s+"));
  }

  /** The repository root, where the service jars are. */
  static Path home() {
    return Path.of(System.getProperty("streamdown.home", "..")).toAbsolutePath().normalize();
  }

  /** A fresh directory {@code target/e2e-data-<name>-*} for a test's broker, state and logs. */
  static Path dataDir(String name) throws IOException {
    Path targetDir = Path.of(System.getProperty("streamdown.e2e.dir", "target")).toAbsolutePath();
    Files.createDirectories(targetDir);
    return Files.createTempDirectory(targetDir, "e2e-data-" + name + "-");
  }

  /** A launcher that reports its progress on the test's output; not started yet. */
  static StackLauncher launcher(StackOptions options) {
    StackLauncher launcher =
        new StackLauncher(options).onProgress(line -> System.out.println("[stack] " + line));
    // -Dstreamdown.e2e.broker=container: the same tests against the apache/kafka image.
    TestBroker.externalBootstrapServers().ifPresent(launcher::useExternalBroker);
    return launcher;
  }

  /** Starts a stack and returns once every service is ready. */
  static StackLauncher start(StackOptions options) {
    StackLauncher stack = launcher(options);
    stack.start();
    return stack;
  }
}
