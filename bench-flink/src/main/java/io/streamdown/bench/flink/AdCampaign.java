package io.streamdown.bench.flink;

/**
 * One record of the reference topic: the ad and its {@code campaign_id} attribute; {@code
 * campaignId} is null when the reference was deleted or has no campaign.
 */
public class AdCampaign {

  public String adId;
  public String campaignId;

  public AdCampaign() {}

  public AdCampaign(String adId, String campaignId) {
    this.adId = adId;
    this.campaignId = campaignId;
  }

  @Override
  public String toString() {
    return "AdCampaign[" + adId + " -> " + campaignId + "]";
  }
}
