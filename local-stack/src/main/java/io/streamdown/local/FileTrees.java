package io.streamdown.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Deleting a directory with everything below it. */
public final class FileTrees {

  private FileTrees() {}

  /**
   * Deletes {@code root} and everything below it; nothing if it does not exist.
   *
   * @throws IOException if an entry cannot be listed or deleted
   */
  public static void delete(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
