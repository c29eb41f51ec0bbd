package io.streamdown.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTreesTest {

  @TempDir Path dir;

  @Test
  void deletesADirectoryWithEverythingBelowItAndNothingBeside() throws IOException {
    Path root = dir.resolve("root");
    Files.createDirectories(root.resolve("a/b/c"));
    Files.writeString(root.resolve("a/b/c/file"), "x");
    Files.writeString(root.resolve("top"), "y");
    Path beside = Files.writeString(dir.resolve("beside"), "z");

    FileTrees.delete(root);

    assertThat(root).doesNotExist();
    assertThat(beside).hasContent("z");
  }

  @Test
  void aMissingDirectoryIsNothingToDo() {
    assertThatNoException().isThrownBy(() -> FileTrees.delete(dir.resolve("missing")));
  }
}
