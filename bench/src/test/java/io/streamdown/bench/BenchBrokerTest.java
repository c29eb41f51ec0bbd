package io.streamdown.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamdown.local.PortPlan;
import io.streamdown.local.Service;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchBrokerTest {

  @TempDir Path home;

  @Test
  void theBrokerRunsAsTheLauncherOfUpWithOnlyTheBrokerOnThePlannedPortsAndTopics()
      throws IOException {
    Path target = installLauncherJar();
    Path data = home.resolve("data");

    PortPlan ports = PortPlan.fromBase(41092, 41093, 41080, 1000);

    List<String> command = BenchBroker.command(home, data, ports, "bench.", 6, List.of());

    assertThat(command.subList(1, 1 + BenchBroker.JVM_OPTIONS.size()))
        .isEqualTo(BenchBroker.JVM_OPTIONS);
    assertThat(command.get(command.indexOf("-cp") + 1))
        .startsWith(target.resolve("local-stack-" + Service.VERSION + ".jar").toString());
    assertThat(command.subList(command.indexOf(BenchBroker.MAIN_CLASS), command.size()))
        .containsExactly(
            BenchBroker.MAIN_CLASS,
            "up",
            "--broker-only",
            "--home",
            home.toString(),
            "--data",
            data.toString(),
            "--broker-port",
            "41092",
            "--controller-port",
            "41093",
            "--prefix",
            "bench.",
            "--partitions",
            "6");
  }

  @Test
  void extraJvmOptionsFollowTheDefaultsSoTheyWin() throws IOException {
    installLauncherJar();
    List<String> extra = List.of("-XX:-UseSerialGC", "-XX:+UseShenandoahGC");

    List<String> command =
        BenchBroker.command(
            home, home.resolve("data"), PortPlan.fromBase(41092, 41093, 41080, 1000), "b.", 6, extra);

    int defaults = 1 + BenchBroker.JVM_OPTIONS.size();
    assertThat(command.subList(1, defaults)).isEqualTo(BenchBroker.JVM_OPTIONS);
    assertThat(command.subList(defaults, defaults + extra.size())).isEqualTo(extra);
    assertThat(command.indexOf(BenchBroker.MAIN_CLASS)).isGreaterThan(defaults + extra.size());
  }

  /** An empty launcher jar where {@code PeerCommand} looks for it. */
  private Path installLauncherJar() throws IOException {
    Path target = home.resolve("local-stack/target");
    Files.createDirectories(target.resolve("lib"));
    Files.writeString(target.resolve("local-stack-" + Service.VERSION + ".jar"), "");
    return target;
  }

  @Test
  void theBrokersJvmOptionsAreTheOnesTheScriptGivesTheLauncher() throws IOException {
    String script = Files.readString(ItDirs.home().resolve("streamdown"));

    assertThat(script)
        .contains(
            "${STREAMDOWN_JAVA_OPTS:-" + String.join(" ", BenchBroker.JVM_OPTIONS) + "}"
                + " \\\n    -cp \"$launcher\" io.streamdown.local.Main up");
  }
}
