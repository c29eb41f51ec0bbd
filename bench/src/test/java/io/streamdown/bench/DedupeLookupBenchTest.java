package io.streamdown.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lookup race at a tiny size: both layouts find the same retries, and it times both. */
class DedupeLookupBenchTest {

  @Test
  void bothLayoutsFindEveryRetryAndBothAreTimed(@TempDir Path dir) {
    // 40 minutes of record time at 20 events/s: 48,000 events, the last two blocks steady.
    DedupeLookupBench.Result result = DedupeLookupBench.run(dir, 40, 20);

    assertThat(result.events()).isEqualTo(48_000);
    // One event in a hundred repeats a recent id; a few may repeat one older than the horizon.
    assertThat(result.rangeDuplicates()).isBetween(400L, 480L);
    assertThat(result.bucketDuplicates()).isEqualTo(result.rangeDuplicates());
    assertThat(result.rangeMicros()).hasSize(2).allSatisfy(m -> assertThat(m).isPositive());
    assertThat(result.bucketMicros()).hasSize(2).allSatisfy(m -> assertThat(m).isPositive());
    assertThat(result.summary()).contains("buckets / range fetch");
  }

  @Test
  void medianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
    assertThat(DedupeLookupBench.median(List.of(4.0, 1.0, 3.0, 2.0))).isEqualTo(2.5);
    assertThat(DedupeLookupBench.median(List.of(5.0, 1.0, 3.0))).isEqualTo(3.0);
  }
}
