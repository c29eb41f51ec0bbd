package io.streamdown.aggregate.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamdown.schemas.EmitMode;
import io.streamdown.schemas.ViewDefinition;
import io.streamdown.schemas.WindowSpec;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.kstream.Window;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LateEventRuleTest {

  private static ViewDefinition view(long sizeMs, long advanceMs, long graceMs) {
    WindowSpec window =
        sizeMs == advanceMs
            ? WindowSpec.tumbling(Duration.ofMillis(sizeMs))
            : WindowSpec.hopping(Duration.ofMillis(sizeMs), Duration.ofMillis(advanceMs));
    return new ViewDefinition(
        "v", List.of("type"), window, Duration.ofMillis(graceMs), EmitMode.UPDATES, null);
  }

  @ParameterizedTest
  @CsvSource({"60000,60000,10000", "300000,60000,10000", "300000,120000,0", "7,3,2", "1,1,0"})
  void latestWindowEndAndVerdictAgreeWithKafkasWindows(long size, long advance, long grace) {
    ViewDefinition view = view(size, advance, grace);
    LateEventRule rule = LateEventRule.of(view);
    // Kafka's windows with the view's own grace: the rule restates Kafka's (a tumbling view's
    // aggregation runs with a longer grace, and LateEventFilter applies this rule in front of it).
    TimeWindows windows =
        TimeWindows.ofSizeAndGrace(Duration.ofMillis(size), Duration.ofMillis(grace))
            .advanceBy(Duration.ofMillis(advance));
    Random random = new Random(size * 31 + advance);
    for (int i = 0; i < 2_000; i++) {
      long time = i < 50 ? i : Math.abs(random.nextLong() % 4_000_000_000_000L);
      long observed = time + (random.nextBoolean() ? 0 : random.nextInt((int) (3 * size + grace)));
      long latestEnd =
          windows.windowsFor(time).values().stream().mapToLong(Window::end).max().orElseThrow();
      assertThat(rule.latestWindowEnd(time)).as("time %d", time).isEqualTo(latestEnd);
      boolean kafkaDropsAll =
          windows.windowsFor(time).values().stream()
              .allMatch(w -> w.end() <= observed - windows.gracePeriodMs());
      assertThat(rule.isLate(time, observed)).as("time %d at %d", time, observed)
          .isEqualTo(kafkaDropsAll);
    }
  }

  @ParameterizedTest
  @CsvSource({"60000,60000,10000", "300000,60000,0"})
  void aWindowClosesExactlyWhenStreamTimeReachesItsEndPlusGrace(
      long size, long advance, long grace) {
    LateEventRule rule = LateEventRule.of(view(size, advance, grace));
    long time = 5 * size + 123;
    long end = rule.latestWindowEnd(time);
    assertThat(rule.isLate(time, end + grace - 1)).isFalse();
    assertThat(rule.isLate(time, end + grace)).isTrue();
  }

  @Test
  void rejectsImpossibleWindows() {
    assertThatThrownBy(() -> new LateEventRule(10, 20, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new LateEventRule(10, 10, -1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
