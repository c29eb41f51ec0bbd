package io.streamdown.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SupervisorTest {

  @Test
  void backOffDoublesPerQuickFailureUpToTheMaximum() {
    Supervisor supervisor =
        new Supervisor(
            new StackLauncher(StackOptions.builder(Path.of(".")).build()),
            line -> {},
            Duration.ofSeconds(1),
            Duration.ofSeconds(30),
            Duration.ofMinutes(1));
    assertThat(supervisor.delay(1)).isEqualTo(Duration.ofSeconds(1));
    assertThat(supervisor.delay(2)).isEqualTo(Duration.ofSeconds(2));
    assertThat(supervisor.delay(3)).isEqualTo(Duration.ofSeconds(4));
    assertThat(supervisor.delay(5)).isEqualTo(Duration.ofSeconds(16));
    assertThat(supervisor.delay(6)).isEqualTo(Duration.ofSeconds(30));
    assertThat(supervisor.delay(100)).isEqualTo(Duration.ofSeconds(30));
    supervisor.close();
  }
}
