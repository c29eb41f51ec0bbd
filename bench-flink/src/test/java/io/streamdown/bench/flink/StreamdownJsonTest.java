package io.streamdown.bench.flink;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The job reads the topics' JSON exactly as Streamdown writes it. */
class StreamdownJsonTest {

  private final StreamdownJson json = new StreamdownJson();

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void readsAnEventAsIngestWritesIt() {
    String event =
        "{\"eventId\":\"e-1\",\"source\":\"ad-1\",\"type\":\"click\",\"time\":1700000012345,"
            + "\"attributes\":{\"user_id\":\"u\",\"page_id\":\"p\",\"ad_type\":\"banner\","
            + "\"ip_address\":\"10.0.0.1\"},\"ingestTime\":1700000099999}";

    AdEvent parsed = json.event(bytes("ad-1"), bytes(event), 5L);

    assertThat(parsed.adId).isEqualTo("ad-1");
    assertThat(parsed.eventType).isEqualTo("click");
    assertThat(parsed.eventTime).isEqualTo(1_700_000_012_345L);
  }

  @Test
  void eventTimeMayBeRfc3339OrMissing() {
    AdEvent rfc =
        json.event(
            null,
            bytes("{\"source\":\"a\",\"type\":\"view\",\"time\":\"1970-01-01T00:00:01Z\"}"),
            7L);
    AdEvent ingest =
        json.event(null, bytes("{\"source\":\"a\",\"type\":\"view\",\"ingestTime\":42}"), 7L);
    AdEvent record = json.event(null, bytes("{\"source\":\"a\",\"type\":\"view\"}"), 7L);

    assertThat(rfc.eventTime).isEqualTo(1000L);
    assertThat(ingest.eventTime).isEqualTo(42L);
    assertThat(record.eventTime).isEqualTo(7L);
  }

  @Test
  void skipsWhatEnrichWouldDeadLetter() {
    assertThat(json.event(null, bytes("not json"), 1L)).isNull();
    assertThat(json.event(null, null, 1L)).isNull();
    assertThat(json.event(null, bytes("{\"type\":\"view\",\"time\":1}"), 1L)).isNull();
    assertThat(json.event(null, bytes("{\"source\":\"a\",\"time\":1}"), 1L)).isNull();
    assertThat(
            json.event(bytes("other"), bytes("{\"source\":\"a\",\"type\":\"v\",\"time\":1}"), 1L))
        .isNull();
  }

  @Test
  void readsTheCampaignOfAReference() {
    String reference =
        "{\"source\":\"ad-1\",\"attributes\":{\"campaign_id\":\"c-9\"},\"updatedAt\":1700000000000}";

    AdCampaign parsed = json.reference(bytes("ad-1"), bytes(reference));
    AdCampaign none =
        json.reference(bytes("ad-2"), bytes("{\"source\":\"ad-2\",\"attributes\":{\"x\":1}}"));
    AdCampaign tombstone = json.reference(bytes("ad-3"), null);

    assertThat(parsed.adId).isEqualTo("ad-1");
    assertThat(parsed.campaignId).isEqualTo("c-9");
    assertThat(none.campaignId).isNull();
    assertThat(tombstone.adId).isEqualTo("ad-3");
    assertThat(tombstone.campaignId).isNull();
  }
}
