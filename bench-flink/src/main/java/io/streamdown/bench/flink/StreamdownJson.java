package io.streamdown.bench.flink;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * Reads Streamdown's topic formats (the {@code Event} and {@code Reference} JSON of shared-schemas)
 * into the job's small types, with its own Jackson mapper: depending on shared-schemas would pull
 * Streamdown's Jackson 3 and Kafka Streams setup into the job.
 *
 * <p>What Streamdown's enrich stage rejects as a dead letter (not JSON, no source or type, a key
 * that is not the source) is skipped here; both count only valid events.
 */
public final class StreamdownJson {

  /** The fields of an {@code Event} the job reads; the rest (attributes, value) is skipped. */
  public static final class EventFields {
    public String source;
    public String type;
    public Object time;
    public Object ingestTime;
  }

  private final ObjectMapper mapper =
      new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /**
   * The ad event of one {@code events.raw} record, or null when Streamdown would not count it.
   *
   * @param key the record key (the event's source)
   * @param value the Event JSON
   * @param recordTimestamp the Kafka timestamp, the event time of last resort as in enrich
   */
  public AdEvent event(byte[] key, byte[] value, long recordTimestamp) {
    if (value == null) {
      return null;
    }
    EventFields fields;
    try {
      fields = mapper.readValue(value, EventFields.class);
    } catch (IOException e) {
      return null;
    }
    if (fields == null || isBlank(fields.source) || isBlank(fields.type)) {
      return null;
    }
    if (key != null && !fields.source.equals(new String(key, StandardCharsets.UTF_8))) {
      return null;
    }
    Long time = epochMillis(fields.time);
    if (time == null) {
      Long ingest = epochMillis(fields.ingestTime);
      time = ingest != null ? ingest : recordTimestamp;
    }
    if (time < 0) {
      return null;
    }
    return new AdEvent(fields.source, fields.type, time);
  }

  /**
   * The campaign of one {@code reference} record: {@code attributes.campaign_id} of the {@code
   * Reference} JSON, null for a tombstone or a reference without one; null overall without a key.
   */
  public AdCampaign reference(byte[] key, byte[] value) {
    if (key == null) {
      return null;
    }
    String adId = new String(key, StandardCharsets.UTF_8);
    if (value == null) {
      return new AdCampaign(adId, null);
    }
    try {
      JsonNode campaign = mapper.readTree(value).path("attributes").path("campaign_id");
      return new AdCampaign(
          adId, campaign.isValueNode() && !campaign.isNull() ? campaign.asText() : null);
    } catch (IOException e) {
      return null;
    }
  }

  /** Epoch millis as a JSON number, a string of digits or RFC 3339 with offset; else null. */
  static Long epochMillis(Object value) {
    if (value instanceof Number number) {
      return number.longValue();
    }
    if (value instanceof String text) {
      String trimmed = text.trim();
      if (!trimmed.isEmpty() && trimmed.chars().allMatch(Character::isDigit)) {
        try {
          return Long.parseLong(trimmed);
        } catch (NumberFormatException e) {
          return null;
        }
      }
      try {
        return OffsetDateTime.parse(trimmed).toInstant().toEpochMilli();
      } catch (DateTimeParseException | ArithmeticException e) {
        return null;
      }
    }
    return null;
  }

  private static boolean isBlank(String s) {
    return s == null || s.isBlank();
  }
}
