package io.streamdown.bench;

import io.streamdown.local.ParentWatchdogJar;
import io.streamdown.local.Service;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of a benchmark peer (a module of this repository built as a jar with its
 * dependencies in {@code target/lib}), run by this JVM's own {@code java} and watching this JVM:
 * it exits when the benchmark does.
 */
final class PeerCommand {

  private PeerCommand() {}

  /** The peer module's jar. */
  static Path jar(Path home, String module) {
    return home.resolve(module + "/target/" + module + "-" + Service.VERSION + ".jar");
  }

  /**
   * {@code java <jvmOptions> -javaagent:<watchdog> -cp <jar>:<lib>/* <mainClass>}, to which the
   * caller adds arguments.
   *
   * @param what the peer, for the message when it is not built
   * @throws IllegalStateException when the jar or its lib directory is missing
   */
  static List<String> of(
      Path home, String module, String what, List<String> jvmOptions, String mainClass) {
    Path jar = jar(home, module);
    Path lib = home.resolve(module + "/target/lib");
    if (!Files.isRegularFile(jar) || !Files.isDirectory(lib)) {
      throw new IllegalStateException(
          what
              + " is not built ("
              + jar
              + " or its lib/ is missing): run `mvn -B -pl "
              + module
              + " -am package -DskipTests` or ./streamdown bench without --no-build");
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    // The peer exits with this JVM even when no shutdown hook runs (SIGKILL, a hook racing the
    // peer's start), as the services do.
    command.add(ParentWatchdogJar.agentOption(home.resolve(module + "/target")));
    command.add("-cp");
    command.add(jar + File.pathSeparator + lib.resolve("*"));
    command.add(mainClass);
    return command;
  }
}
