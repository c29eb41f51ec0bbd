package io.streamdown.bench.flink;

import java.util.Objects;

/** One cell of the YSB result: events per (10 s window, event type, campaign). */
public class WindowCount {

  public long windowStart;
  public String eventType;
  public String campaignId;
  public long count;

  public WindowCount() {}

  public WindowCount(long windowStart, String eventType, String campaignId, long count) {
    this.windowStart = windowStart;
    this.eventType = eventType;
    this.campaignId = campaignId;
    this.count = count;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof WindowCount other
        && windowStart == other.windowStart
        && count == other.count
        && Objects.equals(eventType, other.eventType)
        && Objects.equals(campaignId, other.campaignId);
  }

  @Override
  public int hashCode() {
    return Objects.hash(windowStart, eventType, campaignId, count);
  }

  @Override
  public String toString() {
    return "[" + windowStart + ", " + eventType + ", " + campaignId + ", " + count + "]";
  }
}
