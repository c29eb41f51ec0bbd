package io.streamdown.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BacklogDrainTest {

  private static BacklogDrain.Result result() {
    Map<String, Double> cpu = new LinkedHashMap<>();
    cpu.put("enrich-service", 60.25);
    cpu.put("aggregate-service", 40.0);
    cpu.put("broker", 44.0);
    return new BacklogDrain.Result(9_000.0, cpu);
  }

  @Test
  void sumsTheCpuOfTheNamedProcesses() {
    BacklogDrain.Result result = result();

    assertThat(result.cpuOf("enrich-service", "aggregate-service")).isEqualTo(100.25);
    assertThat(result.cpuOf("broker")).isEqualTo(44.0);
    assertThat(result.cpuOf("floor")).isNaN();
  }

  @Test
  void splitsTheCpuInTheOrderOfTheProcesses() {
    assertThat(result().cpuSplit())
        .isEqualTo("enrich-service 60.3, aggregate-service 40.0, broker 44.0");
  }

  @Test
  void aFailedDrainHasNoRateAndNoCpu() {
    assertThat(BacklogDrain.Result.FAILED.rps()).isNaN();
    assertThat(BacklogDrain.Result.FAILED.cpuOf("enrich-service")).isNaN();
    assertThat(BacklogDrain.Result.FAILED.cpuSplit()).isEmpty();
  }
}
