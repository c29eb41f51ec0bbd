package io.streamdown.local;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The command line that starts one service: the JVM, its options, the service's executable jar and
 * the Spring arguments that put it on the stack's ports, broker, topic prefix and state directory.
 * Pure, so the exact command is testable without starting anything.
 */
final class ServiceCommand {

  /** The Spring property that sets Kafka Streams' {@code num.standby.replicas}. */
  static final String STANDBY_REPLICAS = "spring.kafka.streams.properties.num.standby.replicas";

  private ServiceCommand() {}

  /**
   * @param java the {@code java} executable
   * @param watchdogAgent the parent-watchdog agent jar, if services should watch the launcher
   * @param parentPid the pid the watchdog watches (this JVM's)
   */
  static List<String> build(
      StackOptions options,
      Service service,
      Path java,
      Optional<Path> watchdogAgent,
      long parentPid) {
    return build(options, ServiceInstance.first(service), java, watchdogAgent, parentPid);
  }

  /** The command of one instance: its own ports and state directory. */
  static List<String> build(
      StackOptions options,
      ServiceInstance instance,
      Path java,
      Optional<Path> watchdogAgent,
      long parentPid) {
    Service service = instance.service();
    ServicePorts ports = options.ports().ports(instance);
    List<String> command = new ArrayList<>();
    command.add(java.toString());
    command.addAll(StackOptions.defaultServiceOptions(service));
    command.add("-Djava.io.tmpdir=" + options.tempDir(instance));
    command.addAll(options.jvmOptions());
    watchdogAgent.ifPresent(agent -> command.add("-javaagent:" + agent + "=" + parentPid));
    command.add("-jar");
    command.add(service.jar(options.home()).toString());
    command.add("--server.port=" + ports.http());
    command.add("--management.server.port=" + ports.management());
    command.add("--spring.kafka.bootstrap-servers=" + options.ports().bootstrapServers());
    if (service.kafkaStreams()) {
      command.add("--spring.kafka.streams.state-dir=" + options.stateDir(instance));
      // Spring joins a repeated argument's values with commas, so one given after `--` replaces
      // the launcher's rather than following it.
      String standby = "--" + STANDBY_REPLICAS + "=";
      if (options.appArgs().stream().noneMatch(arg -> arg.startsWith(standby))) {
        options.effectiveStandbyReplicas().ifPresent(n -> command.add(standby + n));
      }
    }
    command.add("--streamdown.topics.prefix=" + options.topicPrefix());
    // Loopback only, as the API is open without keys; `-- --server.address=0.0.0.0` (and the
    // same for management.server.address) opens it up.
    bindLoopbackUnlessGiven(command, options.appArgs(), "--server.address=");
    bindLoopbackUnlessGiven(command, options.appArgs(), "--management.server.address=");
    command.addAll(options.appArgs());
    command.addAll(options.serviceArgs().getOrDefault(service, List.of()));
    return command;
  }

  private static void bindLoopbackUnlessGiven(
      List<String> command, List<String> appArgs, String prefix) {
    if (appArgs.stream().noneMatch(arg -> arg.startsWith(prefix))) {
      command.add(prefix + "127.0.0.1");
    }
  }

  /** The {@code java} of the JVM running this code, so the services run on the same JDK. */
  static Path currentJava() {
    return Path.of(System.getProperty("java.home"), "bin", "java");
  }
}
