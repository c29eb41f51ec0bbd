package io.streamdown.bench.flink;

/**
 * The part of a Streamdown event that YSB needs: the ad ({@code source}, also the Kafka key), the
 * YSB event type ({@code type}) and the event time ({@code time}, epoch millis). A Flink POJO
 * (public fields, no-argument constructor), so Flink serializes it without Kryo.
 */
public class AdEvent {

  public String adId;
  public String eventType;
  public long eventTime;

  public AdEvent() {}

  public AdEvent(String adId, String eventType, long eventTime) {
    this.adId = adId;
    this.eventType = eventType;
    this.eventTime = eventTime;
  }

  @Override
  public String toString() {
    return "AdEvent[" + adId + ", " + eventType + ", " + eventTime + "]";
  }
}
