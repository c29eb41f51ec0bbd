package io.streamdown.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.junit.jupiter.api.Test;

class RestoreTrackerTest {

  private final RestoreTracker tracker = new RestoreTracker();
  private final TopicPartition p0 = new TopicPartition("changelog", 0);
  private final TopicPartition p1 = new TopicPartition("changelog", 1);

  @Test
  void tracksProgressUntilEachPartitionEnds() {
    tracker.onRestoreStart(p1, "store", 0, 500);
    tracker.onRestoreStart(p0, "store", 100, 1100);
    tracker.onBatchRestored(p0, "store", 600, 480);

    assertThat(tracker.restoring())
        .containsExactly(
            new RestoreTracker.Restoring("store", p0, 480, 500),
            new RestoreTracker.Restoring("store", p1, 0, 500));
    assertThat(tracker.restoresCompleted()).isZero();

    tracker.onRestoreEnd(p0, "store", 980);

    assertThat(tracker.restoring())
        .extracting(RestoreTracker.Restoring::changelog)
        .containsExactly(p1);
    assertThat(tracker.restoresCompleted()).isEqualTo(1);
  }

  @Test
  void aSuspendedRestoreIsNoLongerWaitedFor() {
    tracker.onRestoreStart(p0, "store", 0, 10);
    tracker.onRestoreSuspended(p0, "store", 3);

    assertThat(tracker.restoring()).isEmpty();
    assertThat(tracker.restoresCompleted()).isZero();
  }

  @Test
  void theCompositeHandsEveryCallbackToEachListener() {
    List<String> calls = new ArrayList<>();
    StateRestoreListener recorder =
        new StateRestoreListener() {
          @Override
          public void onRestoreStart(TopicPartition tp, String store, long start, long end) {
            calls.add("start " + tp + " " + start + "-" + end);
          }

          @Override
          public void onBatchRestored(TopicPartition tp, String store, long end, long count) {
            calls.add("batch " + end + " " + count);
          }

          @Override
          public void onRestoreEnd(TopicPartition tp, String store, long total) {
            calls.add("end " + total);
          }

          @Override
          public void onRestoreSuspended(TopicPartition tp, String store, long total) {
            calls.add("suspended " + total);
          }
        };
    StateRestoreListener composite = new CompositeRestoreListener(List.of(tracker, recorder));

    composite.onRestoreStart(p0, "store", 0, 10);
    composite.onBatchRestored(p0, "store", 10, 10);
    assertThat(tracker.restoring()).hasSize(1);
    composite.onRestoreEnd(p0, "store", 10);
    composite.onRestoreSuspended(p1, "store", 0);

    assertThat(calls)
        .containsExactly("start changelog-0 0-10", "batch 10 10", "end 10", "suspended 0");
    assertThat(tracker.restoresCompleted()).isEqualTo(1);
  }
}
