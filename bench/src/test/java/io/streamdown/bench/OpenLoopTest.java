package io.streamdown.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class OpenLoopTest {

  @Test
  void sendsEveryScheduledRequestAndCountsOutcomes() {
    AtomicLong sent = new AtomicLong();
    OpenLoop.Result result =
        OpenLoop.run(
            "test",
            200,
            Duration.ofMillis(500),
            8,
            index -> {
              sent.incrementAndGet();
              // every fifth request fails; the others carry 3 items
              return CompletableFuture.completedFuture(index % 5 == 0 ? 0 : 3);
            },
            items -> "",
            line -> {});
    assertThat(result.scheduled()).isEqualTo(100);
    assertThat(sent.get()).isEqualTo(100);
    assertThat(result.failed()).isEqualTo(20);
    assertThat(result.succeeded()).isEqualTo(80);
    assertThat(result.items()).isEqualTo(240);
    assertThat(result.latencyMicros().getTotalCount()).isEqualTo(80);
    assertThat(java.util.Arrays.stream(result.itemsPerSecond()).sum()).isEqualTo(240);
  }

  @Test
  void aRequestThatThrowsCountsAsFailedAndReleasesItsSlot() {
    OpenLoop.Result result =
        OpenLoop.run(
            "test",
            100,
            Duration.ofMillis(100),
            1,
            index -> {
              throw new IllegalStateException("refused");
            },
            items -> "",
            line -> {});
    assertThat(result.failed()).isEqualTo(result.scheduled()).isEqualTo(10);
  }
}
