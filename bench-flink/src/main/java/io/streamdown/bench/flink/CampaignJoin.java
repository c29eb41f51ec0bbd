package io.streamdown.bench.flink;

import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Joins events, keyed by ad, with the ads' campaigns held as broadcast state (Flink's broadcast
 * state pattern). An event whose ad is known leaves at once with its campaign.
 *
 * <p>An event whose ad is not in the broadcast state yet waits in keyed state, with an event-time
 * timer at its own time. The timer cannot fire before every reference has arrived: an operator's
 * event time is the minimum of its inputs' watermarks, and the reference input (a bounded source
 * without watermarks) holds Long.MIN_VALUE until its last record is through. When the timer fires
 * the event leaves with its campaign, stamped with its own time, so its window is the right one and
 * it is never late (the timer fires at the watermark that reaches the event's time, before that
 * watermark moves on downstream). An ad without a campaign then drops its events, as Streamdown's
 * YSB view skips events without {@code reference.campaign_id}.
 */
final class CampaignJoin
    extends KeyedBroadcastProcessFunction<String, AdEvent, AdCampaign, CampaignEvent> {

  /** Ad id to campaign id, on every parallel instance. */
  static final MapStateDescriptor<String, String> CAMPAIGNS =
      new MapStateDescriptor<>("ad-campaigns", Types.STRING, Types.STRING);

  /** Per ad: the types of the events waiting for its reference, by event time. */
  private static final MapStateDescriptor<Long, List<String>> WAITING =
      new MapStateDescriptor<>("waiting-events", Types.LONG, Types.LIST(Types.STRING));

  private transient MapState<Long, List<String>> waiting;
  private transient LongCounter unjoined;

  @Override
  public void open(OpenContext openContext) {
    waiting = getRuntimeContext().getMapState(WAITING);
    unjoined = new LongCounter();
    getRuntimeContext().addAccumulator(YsbPipeline.UNJOINED, unjoined);
  }

  @Override
  public void processElement(AdEvent event, ReadOnlyContext ctx, Collector<CampaignEvent> out)
      throws Exception {
    String campaign = ctx.getBroadcastState(CAMPAIGNS).get(event.adId);
    if (campaign != null) {
      out.collect(new CampaignEvent(event.eventType, campaign, event.eventTime));
      return;
    }
    List<String> types = waiting.get(event.eventTime);
    if (types == null) {
      types = new ArrayList<>(1);
      ctx.timerService().registerEventTimeTimer(event.eventTime);
    }
    types.add(event.eventType);
    waiting.put(event.eventTime, types);
  }

  @Override
  public void processBroadcastElement(
      AdCampaign reference, Context ctx, Collector<CampaignEvent> out) throws Exception {
    BroadcastState<String, String> campaigns = ctx.getBroadcastState(CAMPAIGNS);
    if (reference.campaignId == null) {
      campaigns.remove(reference.adId);
    } else {
      campaigns.put(reference.adId, reference.campaignId);
    }
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<CampaignEvent> out)
      throws Exception {
    List<String> types = waiting.get(timestamp);
    if (types == null) {
      return;
    }
    waiting.remove(timestamp);
    ReadOnlyBroadcastState<String, String> campaigns = ctx.getBroadcastState(CAMPAIGNS);
    String campaign = campaigns.get(ctx.getCurrentKey());
    if (campaign == null) {
      unjoined.add((long) types.size());
      return;
    }
    for (String type : types) {
      out.collect(new CampaignEvent(type, campaign, timestamp));
    }
  }
}
