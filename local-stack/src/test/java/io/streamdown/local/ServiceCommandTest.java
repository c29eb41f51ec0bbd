package io.streamdown.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ServiceCommandTest {

  private static final Path HOME = Path.of("/repo").toAbsolutePath();
  private static final Path JAVA = Path.of("/jdk/bin/java");

  private final StackOptions options =
      StackOptions.builder(HOME)
          .ports(PortPlan.fromBase(19092, 19093, 18000, 1000))
          .topicPrefix("dev.")
          .addJvmOptions(List.of("-Xmx300m"))
          .addAppArgs(List.of("--logging.level.root=warn"))
          .addServiceArgs(Service.AGGREGATE, List.of("--streamdown.aggregate.grace=PT5S"))
          .build();

  @Test
  void bindsLoopbackUnlessTheArgumentsSayOtherwise() {
    StackOptions open =
        options.toBuilder().addAppArgs(List.of("--server.address=0.0.0.0")).build();
    List<String> command = ServiceCommand.build(open, Service.INGEST, JAVA, Optional.empty(), 1);
    assertThat(command.stream().filter(arg -> arg.startsWith("--server.address=")))
        .containsExactly("--server.address=0.0.0.0");
    assertThat(command).contains("--management.server.address=127.0.0.1");
  }

  @Test
  void streamsServiceGetsPortsBrokerPrefixAndItsStateDirectory() {
    List<String> command =
        ServiceCommand.build(options, Service.AGGREGATE, JAVA, Optional.empty(), 1);
    ServicePorts ports = options.ports().ports(Service.AGGREGATE);

    assertThat(command.get(0)).isEqualTo(JAVA.toString());
    assertThat(command)
        .containsSubsequence("-jar", Service.AGGREGATE.jar(HOME).toString())
        .contains(
            "--server.port=" + ports.http(),
            "--management.server.port=" + ports.management(),
            "--spring.kafka.bootstrap-servers=localhost:19092",
            "--spring.kafka.streams.state-dir=" + options.stateDir(Service.AGGREGATE),
            "--streamdown.topics.prefix=dev.",
            "--server.address=127.0.0.1",
            "--management.server.address=127.0.0.1")
        .endsWith("--logging.level.root=warn", "--streamdown.aggregate.grace=PT5S");
    assertThat(options.stateDir(Service.AGGREGATE))
        .isEqualTo(options.dataDir().resolve("state").resolve("aggregate-service-0"));
  }

  @Test
  void eachInstanceHasItsOwnTemporaryDirectoryThatAJavaOptStillReplaces() {
    List<String> first =
        ServiceCommand.build(options, Service.INGEST, JAVA, Optional.empty(), 1);
    List<String> second =
        ServiceCommand.build(
            options, new ServiceInstance(Service.QUERY, 1), JAVA, Optional.empty(), 1);

    String ingestTemp = "-Djava.io.tmpdir=" + options.dataDir().resolve("tmp/ingest-service");
    assertThat(first).contains(ingestTemp);
    assertThat(second)
        .contains("-Djava.io.tmpdir=" + options.dataDir().resolve("tmp/query-service-1"));
    // Before the user's JVM options, so that a -Djava.io.tmpdir among them wins.
    assertThat(first.indexOf(ingestTemp)).isLessThan(first.indexOf("-Xmx300m"));
  }

  @Test
  void furtherInstancesGetTheirOwnPortsStateDirectoryAndOneStandbyReplica() {
    StackOptions three = options.toBuilder().instances(3).build();
    ServiceInstance second = new ServiceInstance(Service.QUERY, 2);

    List<String> command = ServiceCommand.build(three, second, JAVA, Optional.empty(), 1);

    assertThat(command)
        .contains(
            "--server.port=18204",
            "--management.server.port=19204",
            "--spring.kafka.streams.state-dir=" + three.dataDir().resolve("state/query-service-2"),
            "--spring.kafka.streams.properties.num.standby.replicas=1");
    assertThat(three.logFile(second)).isEqualTo(three.logsDir().resolve("query-service-2.log"));
    assertThat(ServiceCommand.build(options, Service.QUERY, JAVA, Optional.empty(), 1))
        .noneMatch(arg -> arg.contains("num.standby.replicas"));
  }

  @Test
  void standbyReplicasGivenAfterDoubleDashReplaceTheLaunchersOwn() {
    String given = "--spring.kafka.streams.properties.num.standby.replicas=2";
    StackOptions three = options.toBuilder().instances(3).addAppArgs(List.of(given)).build();

    List<String> command =
        ServiceCommand.build(three, Service.ENRICH, JAVA, Optional.empty(), 1);

    // Spring would join two values of one argument with a comma.
    assertThat(command.stream().filter(arg -> arg.contains("num.standby.replicas")))
        .containsExactly(given);
  }

  @Test
  void ingestGetsNoStateDirectoryAndNoOtherServicesArguments() {
    List<String> command = ServiceCommand.build(options, Service.INGEST, JAVA, Optional.empty(), 1);

    assertThat(command).noneMatch(arg -> arg.startsWith("--spring.kafka.streams.state-dir"));
    assertThat(command).doesNotContain("--streamdown.aggregate.grace=PT5S");
    assertThat(command).last().isEqualTo("--logging.level.root=warn");
  }

  @Test
  void jvmOptionsComeBeforeTheJarInOrderWithTheWatchdogAgent() {
    Path agent = Path.of("/data/run/parent-watchdog.jar");
    List<String> command =
        ServiceCommand.build(options, Service.QUERY, JAVA, Optional.of(agent), 4242);

    int jar = command.indexOf("-jar");
    List<String> jvmPart = command.subList(1, jar);
    assertThat(jvmPart)
        .containsSubsequence(StackOptions.DEFAULT_JVM_OPTIONS)
        .containsSubsequence("-XX:+UseSerialGC", "-Xmx300m")
        .contains("-javaagent:" + agent + "=4242");
  }

  @Test
  void eachServiceStartsWithItsOwnHeapThatAJavaOptStillReplaces() {
    List<String> ingest = ServiceCommand.build(options, Service.INGEST, JAVA, Optional.empty(), 1);
    List<String> enrich = ServiceCommand.build(options, Service.ENRICH, JAVA, Optional.empty(), 1);
    List<String> query = ServiceCommand.build(options, Service.QUERY, JAVA, Optional.empty(), 1);

    assertThat(ingest.subList(1, ingest.indexOf("-jar")))
        .startsWith("-Xms192m", "-Xmn96m")
        .doesNotContain("-XX:SurvivorRatio=3");
    assertThat(enrich.subList(1, enrich.indexOf("-jar")))
        .startsWith("-Xms128m", "-Xmn40m", "-XX:SurvivorRatio=3");
    assertThat(query.subList(1, query.indexOf("-jar")))
        .startsWith("-Xms96m", "-Xmn40m", "-XX:SurvivorRatio=3");

    // The JVM takes the last of repeated options: one given with --java-opt comes later.
    StackOptions small = options.toBuilder().addJvmOptions(List.of("-Xmn32m")).build();
    List<String> overridden =
        ServiceCommand.build(small, Service.INGEST, JAVA, Optional.empty(), 1);
    assertThat(overridden.lastIndexOf("-Xmn32m")).isGreaterThan(overridden.indexOf("-Xmn96m"));
  }

  @Test
  void theHttpServicesRunTheQuickJitAloneTheStreamsStagesBothAndAJavaOptDecides() {
    assertThat(jvmPart(ServiceCommand.build(options, Service.INGEST, JAVA, Optional.empty(), 1)))
        .contains(StackOptions.QUICK_JIT_ONLY);
    assertThat(jvmPart(ServiceCommand.build(options, Service.QUERY, JAVA, Optional.empty(), 1)))
        .contains(StackOptions.QUICK_JIT_ONLY);
    assertThat(jvmPart(ServiceCommand.build(options, Service.ENRICH, JAVA, Optional.empty(), 1)))
        .noneMatch(arg -> arg.startsWith("-XX:TieredStopAtLevel"));
    assertThat(
            jvmPart(ServiceCommand.build(options, Service.AGGREGATE, JAVA, Optional.empty(), 1)))
        .noneMatch(arg -> arg.startsWith("-XX:TieredStopAtLevel"));
    // The stages compile only their hottest code with C2; the HTTP services never run C2.
    assertThat(jvmPart(ServiceCommand.build(options, Service.ENRICH, JAVA, Optional.empty(), 1)))
        .containsSubsequence(StackOptions.HOT_PATH_ONLY_C2);
    assertThat(
            jvmPart(ServiceCommand.build(options, Service.AGGREGATE, JAVA, Optional.empty(), 1)))
        .containsSubsequence(StackOptions.HOT_PATH_ONLY_C2);
    assertThat(jvmPart(ServiceCommand.build(options, Service.INGEST, JAVA, Optional.empty(), 1)))
        .noneMatch(arg -> arg.startsWith("-XX:Tier4"));

    // The JVM takes the last of repeated options: --java-opt comes after the service's own.
    StackOptions allOptimized =
        options.toBuilder().addJvmOptions(List.of("-XX:TieredStopAtLevel=4")).build();
    List<String> ingest =
        jvmPart(ServiceCommand.build(allOptimized, Service.INGEST, JAVA, Optional.empty(), 1));
    assertThat(ingest.lastIndexOf("-XX:TieredStopAtLevel=4"))
        .isGreaterThan(ingest.indexOf(StackOptions.QUICK_JIT_ONLY));
  }

  @Test
  void theJvmTheServicesRunOnAcceptsEveryServicesJitOptions() throws Exception {
    for (Service service : Service.values()) {
      List<String> command = new ArrayList<>();
      command.add(ServiceCommand.currentJava().toString());
      command.addAll(StackOptions.defaultJitOptions(service));
      command.add("-version");
      Process java = new ProcessBuilder(command).redirectErrorStream(true).start();
      // -version prints a few lines and exits; the deadline keeps a JVM that hangs from stalling
      // the build.
      assertThat(java.waitFor(60, TimeUnit.SECONDS)).as(service + ": exited").isTrue();
      String output = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(java.exitValue()).as(service + ": " + output).isZero();
    }
  }

  private static List<String> jvmPart(List<String> command) {
    return command.subList(1, command.indexOf("-jar"));
  }
}
