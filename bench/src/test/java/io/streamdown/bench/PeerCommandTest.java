package io.streamdown.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamdown.local.Service;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PeerCommandTest {

  @TempDir Path home;

  private void build(String module) throws IOException {
    Path target = home.resolve(module + "/target");
    Files.createDirectories(target.resolve("lib"));
    Files.writeString(target.resolve(module + "-" + Service.VERSION + ".jar"), "");
  }

  @Test
  void thePeerWatchesThisJvmAndExitsWithIt() throws IOException {
    build("bench-peer");

    List<String> command =
        PeerCommand.of(home, "bench-peer", "the peer", List.of("-Xmx64m"), "example.Main");

    String agent =
        command.stream().filter(arg -> arg.startsWith("-javaagent:")).findFirst().orElseThrow();
    assertThat(agent).endsWith("=" + ProcessHandle.current().pid());
    Path jar = Path.of(agent.substring("-javaagent:".length(), agent.lastIndexOf('=')));
    try (JarFile written = new JarFile(jar.toFile())) {
      assertThat(written.getManifest().getMainAttributes().getValue("Premain-Class")).isNotBlank();
    }
    assertThat(command.get(command.size() - 1)).isEqualTo("example.Main");
    assertThat(command.indexOf(agent)).isLessThan(command.indexOf("-cp"));
    assertThat(command).contains("-Xmx64m");
  }

  @Test
  void aPeerThatIsNotBuiltIsNamedWithTheCommandThatBuildsIt() {
    assertThatThrownBy(
            () -> PeerCommand.of(home, "bench-peer", "the peer", List.of(), "example.Main"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("the peer is not built")
        .hasMessageContaining("-pl bench-peer");
  }
}
