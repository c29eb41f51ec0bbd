package io.streamdown.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VisibleEventsTest {

  @Test
  void visibleAsksAgainOnlyAboutWindowsBelowWhatWasAccepted() {
    Map<Long, Long> shownNow = new HashMap<>(Map.of(0L, 100L, 10_000L, 40L));
    List<Long> asked = new ArrayList<>();
    VisibleEvents visible =
        new VisibleEvents(
            window -> {
              asked.add(window);
              return shownNow.get(window);
            });

    assertThat(visible.count(Map.of(0L, 100L, 10_000L, 50L))).isEqualTo(140);
    assertThat(asked).containsExactlyInAnyOrder(0L, 10_000L);

    asked.clear();
    shownNow.put(10_000L, 50L);
    // Window 0 is complete and is not asked again; a count above what was accepted (events that
    // were accepted after the snapshot) does not count twice.
    shownNow.put(0L, 120L);
    assertThat(visible.count(Map.of(0L, 100L, 10_000L, 50L))).isEqualTo(150);
    assertThat(asked).containsExactly(10_000L);
  }

  @Test
  void acceptedEventsAreSummedPerWindow() {
    YsbCounts counts = new YsbCounts();
    Ysb ysb = new Ysb(3);
    long base = 1_700_000_000_000L - Math.floorMod(1_700_000_000_000L, Ysb.WINDOW_MILLIS);
    for (int i = 0; i < 7; i++) {
      counts.add(ysb.next(base + 1_000));
    }
    for (int i = 0; i < 4; i++) {
      counts.add(ysb.next(base + Ysb.WINDOW_MILLIS + 2_000));
    }

    Map<Long, Long> perWindow = VisibleEvents.acceptedPerWindow(counts);

    assertThat(perWindow)
        .containsExactly(Map.entry(base, 7L), Map.entry(base + Ysb.WINDOW_MILLIS, 4L));
    assertThat(VisibleEvents.total(perWindow)).isEqualTo(11);
  }
}
