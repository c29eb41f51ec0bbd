package io.streamdown.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GroupKeyCodecBenchTest {

  @Test
  void racesBothWaysOverTheSameKeysAndTimesEach() {
    // Tiny: the harness must run and agree with itself, not measure anything here.
    GroupKeyCodecBench.Result result = GroupKeyCodecBench.run(4, 600);

    assertThat(result.mapperEncode()).isPositive();
    assertThat(result.ownEncode()).isPositive();
    assertThat(result.mapperDecode()).isPositive();
    assertThat(result.ownDecode()).isPositive();
  }
}
