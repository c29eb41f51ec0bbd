package io.streamdown.aggregate.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class OriginWatermarkTest {

  private static final long IDLE = 1_000;

  @Test
  void theWatermarkIsTheSlowestOriginsNewestTime() {
    OriginWatermark origins = new OriginWatermark(IDLE);
    assertThat(origins.observe(0, 100, 0)).isEqualTo(100);
    assertThat(origins.observe(1, 40, 0)).isEqualTo(40);
    // Origin 0 races ahead: the watermark waits for origin 1.
    assertThat(origins.observe(0, 500, 0)).isEqualTo(40);
    // An older record of its own does not move an origin back.
    assertThat(origins.observe(1, 30, 0)).isEqualTo(40);
    assertThat(origins.observe(1, 200, 0)).isEqualTo(200);
    assertThat(origins.observe(1, 900, 0)).isEqualTo(500);
    assertThat(origins.activeOrigins()).isEqualTo(2);
  }

  @Test
  void anIdleOriginStopsHoldingTheWatermarkBackAndJoinsAgainWithItsNextRecord() {
    OriginWatermark origins = new OriginWatermark(IDLE);
    origins.observe(1, 10, 0);
    assertThat(origins.observe(0, 5_000, IDLE - 1)).isEqualTo(10);
    assertThat(origins.observe(0, 6_000, IDLE)).isEqualTo(6_000);
    assertThat(origins.activeOrigins()).isEqualTo(1);
    // Back, behind: it holds the watermark again.
    assertThat(origins.observe(1, 20, IDLE + 1)).isEqualTo(20);
    assertThat(origins.observe(0, 7_000, IDLE + 2)).isEqualTo(20);
  }

  @Test
  void theObservedOriginAlwaysCountsEvenAfterAPauseOfItsOwn() {
    OriginWatermark origins = new OriginWatermark(IDLE);
    origins.observe(0, 100, 0);
    assertThat(origins.observe(0, 50, 10 * IDLE)).isEqualTo(50);
  }

  @Test
  void aNonPositiveIdleTimeIsRefused() {
    assertThatThrownBy(() -> new OriginWatermark(0)).isInstanceOf(IllegalArgumentException.class);
  }
}
