package io.streamdown.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A benchmark run as a child JVM on this test's class path, against the repository's jars. */
final class ChildBench {

  private ChildBench() {}

  /** The command of {@code streamdown bench ARGS} with the repository as its home. */
  static ProcessBuilder command(String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx512m");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(BenchMain.class.getName());
    command.add("--home");
    command.add(ItDirs.home().toString());
    command.addAll(List.of(args));
    return new ProcessBuilder(command);
  }
}
