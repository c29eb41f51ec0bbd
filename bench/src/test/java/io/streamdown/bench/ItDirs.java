package io.streamdown.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the integration tests find the repository (its built jars) and keep their data: the
 * properties failsafe sets in this module's pom, with the defaults of a run from {@code bench/}.
 */
final class ItDirs {

  private ItDirs() {}

  static Path home() {
    return Path.of(System.getProperty("streamdown.home", "..")).toAbsolutePath().normalize();
  }

  /** A new directory below the module's build directory. */
  static Path newDataDir(String prefix) throws IOException {
    Path target = Path.of(System.getProperty("streamdown.bench.dir", "target")).toAbsolutePath();
    Files.createDirectories(target);
    return Files.createTempDirectory(target, prefix);
  }
}
