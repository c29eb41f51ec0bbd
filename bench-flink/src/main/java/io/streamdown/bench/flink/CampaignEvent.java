package io.streamdown.bench.flink;

/** An event joined with its ad's campaign: what the window counts. */
public class CampaignEvent {

  public String eventType;
  public String campaignId;
  public long eventTime;

  public CampaignEvent() {}

  public CampaignEvent(String eventType, String campaignId, long eventTime) {
    this.eventType = eventType;
    this.campaignId = campaignId;
    this.eventTime = eventTime;
  }
}
