package io.streamdown.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamdown.schemas.TopicCatalog;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class CommandLineTest {

  private static final Path CWD = Path.of("/projects/cwd").toAbsolutePath();

  @Test
  void upWithoutOptionsUsesTheDefaults() throws Exception {
    StackOptions options = up("up", "--home", "/repo");

    assertThat(options.home()).isEqualTo(Path.of("/repo").toAbsolutePath());
    assertThat(options.dataDir()).isEqualTo(options.home().resolve("data"));
    assertThat(options.ports()).isEqualTo(PortPlan.defaults());
    assertThat(options.topicPrefix()).isEqualTo(TopicCatalog.DEFAULT_PREFIX);
    assertThat(options.partitions()).isEqualTo(TopicCatalog.DEFAULT_PARTITIONS);
    assertThat(options.servicesInOrder()).containsExactly(Service.values());
    assertThat(options.jvmOptions()).isEqualTo(StackOptions.DEFAULT_JVM_OPTIONS);
    assertThat(options.appArgs()).isEmpty();
    assertThat(options.startTimeout()).isEqualTo(StackOptions.DEFAULT_START_TIMEOUT);
    assertThat(options.watchParent()).isTrue();
  }

  @Test
  void homeDefaultsToTheWorkingDirectory() throws Exception {
    assertThat(up("up").home()).isEqualTo(CWD);
  }

  @Test
  void parsesEveryOptionInBothSpellings() throws Exception {
    StackOptions options =
        up(
            "up",
            "--home=/repo",
            "--data",
            "relative/data",
            "--prefix=dev.",
            "--partitions",
            "3",
            "--broker-port=19092",
            "--controller-port",
            "19093",
            "--http-port-base=18000",
            "--management-offset",
            "100",
            "--timeout=42",
            "--java-opt",
            "-Xmx512m",
            "--java-opt=-XX:+UseG1GC");

    assertThat(options.dataDir()).isEqualTo(CWD.resolve("relative/data"));
    assertThat(options.topicPrefix()).isEqualTo("dev.");
    assertThat(options.partitions()).isEqualTo(3);
    assertThat(options.ports()).isEqualTo(PortPlan.fromBase(19092, 19093, 18000, 100));
    assertThat(options.startTimeout()).isEqualTo(Duration.ofSeconds(42));
    assertThat(options.jvmOptions())
        .startsWith(StackOptions.DEFAULT_JVM_OPTIONS.toArray(String[]::new))
        .endsWith("-Xmx512m", "-XX:+UseG1GC");
  }

  @Test
  void instancesRunThatManyOfEveryStreamsServiceWithOneStandbyByDefault() throws Exception {
    StackOptions options = up("up", "--instances", "3");

    assertThat(options.instances()).isEqualTo(3);
    assertThat(options.instancesInOrder())
        .hasSize(10)
        .startsWith(ServiceInstance.first(Service.INGEST), new ServiceInstance(Service.ENRICH, 0))
        .endsWith(new ServiceInstance(Service.QUERY, 2));
    assertThat(options.effectiveStandbyReplicas()).hasValue(1);
    assertThat(up("up").instances()).isEqualTo(1);
    assertThat(up("up").effectiveStandbyReplicas()).isEmpty();
    assertThat(up("up", "--instances=2", "--standby-replicas=0").effectiveStandbyReplicas())
        .hasValue(0);
  }

  @Test
  void instancesOutsideOneToSixOrWithClashingPortsAreUsageErrors() {
    assertUsage(List.of("up", "--instances", "7"), "must be between 1 and 6, not 7");
    assertUsage(List.of("up", "--instances", "0"), "must be between 1 and 6, not 0");
    assertUsage(
        List.of("up", "--instances", "2", "--management-offset", "100"),
        "port 8182 is planned twice");
  }

  @Test
  void brokerOnlyStartsNoService() throws Exception {
    assertThat(up("up", "--broker-only").servicesInOrder()).isEmpty();
  }

  @Test
  void argumentsAfterDoubleDashGoToEveryServiceVerbatim() throws Exception {
    StackOptions options =
        up("up", "--prefix", "x.", "--", "--logging.level.root=debug", "--timeout", "7");

    assertThat(options.appArgs()).containsExactly("--logging.level.root=debug", "--timeout", "7");
    assertThat(options.startTimeout()).isEqualTo(StackOptions.DEFAULT_START_TIMEOUT);
  }

  @Test
  void helpInAllSpellings() throws Exception {
    for (String help : List.of("help", "--help", "-h")) {
      assertThat(CommandLine.parse(List.of(help), CWD)).isInstanceOf(CommandLine.Help.class);
    }
  }

  @Test
  void rejectsWrongCommandLinesWithAMessage() {
    assertUsage(List.of(), "no command given");
    assertUsage(List.of("down"), "unknown command 'down'");
    assertUsage(List.of("up", "--colour"), "unknown option '--colour' for up");
    assertUsage(List.of("up", "--data"), "option --data needs a value");
    assertUsage(List.of("up", "--data", "--broker-only"), "option --data needs a value");
    assertUsage(List.of("up", "--broker-port=ninety"), "needs a number, not 'ninety'");
    assertUsage(List.of("up", "--partitions", "0"), "must be between 1 and 10000, not 0");
    assertUsage(List.of("up", "--broker-only=yes"), "option --broker-only takes no value");
    assertUsage(List.of("up", "--broker-port", "8081"), "port 8081 is planned twice");
  }

  @Test
  void mainPrintsUsageAndFailsWithCodeTwoOnABadCommandLine() {
    var out = new java.io.ByteArrayOutputStream();
    var err = new java.io.ByteArrayOutputStream();

    int code =
        Main.run(
            new String[] {"frobnicate"},
            new java.io.PrintStream(out, true),
            new java.io.PrintStream(err, true));

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("unknown command 'frobnicate'").contains("Usage:");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void mainPrintsUsageForHelp() {
    var out = new java.io.ByteArrayOutputStream();

    int code =
        Main.run(
            new String[] {"help"},
            new java.io.PrintStream(out, true),
            new java.io.PrintStream(new java.io.ByteArrayOutputStream(), true));

    assertThat(code).isZero();
    assertThat(out.toString()).isEqualTo(CommandLine.USAGE);
  }

  @Test
  void theScriptPrintsTheSameUsage() throws Exception {
    // Surefire runs in the module directory; the script sits at the repository root.
    Path script = Path.of("").toAbsolutePath().resolveSibling("streamdown");

    assertThat(java.nio.file.Files.readString(script)).contains(CommandLine.USAGE);
  }

  private static StackOptions up(String... args) throws UsageException {
    CommandLine.Command command = CommandLine.parse(List.of(args), CWD);
    assertThat(command).isInstanceOf(CommandLine.Up.class);
    return ((CommandLine.Up) command).options();
  }

  private static void assertUsage(List<String> args, String message) {
    assertThatThrownBy(() -> CommandLine.parse(args, CWD))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining(message);
  }
}
