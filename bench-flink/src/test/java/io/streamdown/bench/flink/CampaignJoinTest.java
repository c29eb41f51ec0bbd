package io.streamdown.bench.flink;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/**
 * The broadcast join, one operator driven by hand: an event that arrives before its ad's reference
 * waits until the reference side has ended, then leaves stamped with its own time.
 */
class CampaignJoinTest {

  private static KeyedBroadcastOperatorTestHarness<String, AdEvent, AdCampaign, CampaignEvent>
      harness() throws Exception {
    KeyedBroadcastOperatorTestHarness<String, AdEvent, AdCampaign, CampaignEvent> harness =
        ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
            new CampaignJoin(), event -> event.adId, Types.STRING, CampaignJoin.CAMPAIGNS);
    return harness; // opened by the factory
  }

  @Test
  void anEventOfAKnownAdLeavesAtOnceWithItsCampaignAndTime() throws Exception {
    try (var harness = harness()) {
      harness.processBroadcastElement(new AdCampaign("ad-1", "campaign-a"), 5L);
      harness.processElement(new AdEvent("ad-1", "view", 12_345L), 12_345L);

      List<StreamRecord<? extends CampaignEvent>> out = harness.extractOutputStreamRecords();
      assertThat(out).hasSize(1);
      assertThat(out.get(0).getTimestamp()).isEqualTo(12_345L);
      assertThat(out.get(0).getValue().campaignId).isEqualTo("campaign-a");
      assertThat(out.get(0).getValue().eventType).isEqualTo("view");
      assertThat(unjoined(harness)).isZero();
    }
  }

  @Test
  void anEventBeforeItsReferenceWaitsUntilTheReferenceSideHasEnded() throws Exception {
    try (var harness = harness()) {
      harness.processElement(new AdEvent("ad-2", "click", 20_000L), 20_000L);
      harness.processElement(new AdEvent("ad-2", "view", 21_000L), 21_000L);
      // The event side's watermark alone does not release them: the reference side has none yet.
      harness.processWatermark(60_000L);
      assertThat(harness.extractOutputValues()).isEmpty();

      harness.processBroadcastElement(new AdCampaign("ad-2", "campaign-b"), 99_999L);
      assertThat(harness.extractOutputValues()).isEmpty();

      // The bounded reference source ends: its final watermark releases the waiting events.
      harness.processBroadcastWatermark(Long.MAX_VALUE);
      List<StreamRecord<? extends CampaignEvent>> out = harness.extractOutputStreamRecords();
      assertThat(out).hasSize(2);
      assertThat(out)
          .extracting(StreamRecord::getTimestamp)
          .containsExactlyInAnyOrder(20_000L, 21_000L);
      assertThat(out)
          .extracting(r -> r.getValue().eventType + "/" + r.getValue().campaignId)
          .containsExactlyInAnyOrder("click/campaign-b", "view/campaign-b");
    }
  }

  @Test
  void eventsOfAnAdWithoutCampaignAreDropped() throws Exception {
    try (var harness = harness()) {
      harness.processBroadcastElement(new AdCampaign("ad-3", "campaign-c"), 1L);
      harness.processBroadcastElement(new AdCampaign("ad-3", null), 2L); // deleted again
      harness.processElement(new AdEvent("ad-3", "view", 30_000L), 30_000L);
      harness.processElement(new AdEvent("ad-unknown", "view", 30_001L), 30_001L);
      harness.processBroadcastWatermark(Long.MAX_VALUE);
      harness.processWatermark(Long.MAX_VALUE);

      assertThat(harness.extractOutputValues()).isEmpty();
      assertThat(unjoined(harness)).isEqualTo(2L);
    }
  }

  /** The join's count of events dropped without a campaign. */
  private static long unjoined(KeyedBroadcastOperatorTestHarness<?, ?, ?, ?> harness) {
    var context = harness.getOperator().getRuntimeContext();
    return (Long) context.getAccumulator(YsbPipeline.UNJOINED).getLocalValue();
  }
}
