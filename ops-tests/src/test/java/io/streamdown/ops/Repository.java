package io.streamdown.ops;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/** Where the tests find the repository's files and the external tools they check them with. */
final class Repository {

  private Repository() {}

  /** The repository root (the build passes it; the parent directory otherwise). */
  static Path home() {
    return Path.of(System.getProperty("streamdown.home", "..")).toAbsolutePath().normalize();
  }

  /** A file below the repository root. */
  static Path file(String relative) {
    return home().resolve(relative);
  }

  /** This module's build directory, for generated configuration, data and logs. */
  static Path buildDir() {
    return Path.of(System.getProperty("streamdown.ops.dir", "target")).toAbsolutePath();
  }

  /** An executable named {@code name} on the {@code PATH}, if there is one. */
  static Optional<Path> tool(String name) {
    String path = System.getenv().getOrDefault("PATH", "");
    return Stream.of(path.split(java.io.File.pathSeparator))
        .filter(dir -> !dir.isBlank())
        .map(dir -> Path.of(dir, name))
        .filter(Files::isExecutable)
        .findFirst();
  }
}
