package io.streamdown.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MarkerTrailTest {

  @Test
  void findsTheMarkerInJsonValuesAndKeys() {
    assertThat(marker("{\"source\":\"bench-marker\",\"type\":\"marker-17\",\"time\":1}"))
        .isEqualTo("marker-17");
    assertThat(marker("[\"marker-3\",\"bench-markers\"]")).isEqualTo("marker-3");
    assertThat(marker("{\"view\":\"ysb\",\"group\":[\"marker-120\",\"x\"],\"start\":0}"))
        .isEqualTo("marker-120");
  }

  @Test
  void ignoresBytesWithoutAMarkerNumber() {
    assertThat(MarkerTrail.markerIn(null)).isNull();
    assertThat(marker("")).isNull();
    assertThat(marker("{\"type\":\"view\",\"source\":\"ad-1\"}")).isNull();
    assertThat(marker("bench-marker")).isNull();
    assertThat(marker("marker-")).isNull();
    assertThat(marker("marker-x marker-5")).isEqualTo("marker-5");
  }

  private static String marker(String text) {
    return MarkerTrail.markerIn(text.getBytes(StandardCharsets.UTF_8));
  }
}
