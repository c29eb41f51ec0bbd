package io.streamdown.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One run of an external tool (promtool, docker-compose, ...) to completion, with its exit code and
 * combined output, so a failed check shows what the tool said.
 */
record ToolRun(List<String> command, int exitCode, String output) {

  static ToolRun run(Path workingDir, List<String> command) {
    return run(workingDir, command, null);
  }

  /** Runs {@code command} with {@code input} (if not null) as its standard input. */
  static ToolRun run(Path workingDir, List<String> command, Path input) {
    try {
      ProcessBuilder builder =
          new ProcessBuilder(command).directory(workingDir.toFile()).redirectErrorStream(true);
      if (input != null) {
        builder.redirectInput(input.toFile());
      }
      Process process = builder.start();
      if (input == null) {
        process.getOutputStream().close();
      }
      byte[] output = process.getInputStream().readAllBytes();
      if (!process.waitFor(2, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new IllegalStateException(command + " did not finish within 2 minutes");
      }
      return new ToolRun(
          List.copyOf(new ArrayList<>(command)),
          process.exitValue(),
          new String(output, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A description for assertion messages. */
  String describe() {
    return String.join(" ", command) + " exited " + exitCode + ":\n" + output;
  }
}
