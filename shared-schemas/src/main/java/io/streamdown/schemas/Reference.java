package io.streamdown.schemas;

import java.util.Map;

/**
 * Reference data of one source, as kept in the compacted {@code reference} topic keyed by source.
 * A tombstone (null value) deletes the source's reference data.
 *
 * @param source the source these attributes describe
 * @param attributes flat attributes (string, number or boolean), copied onto enriched events
 * @param updatedAt when the upsert was accepted, epoch millis
 */
public record Reference(String source, Map<String, Object> attributes, long updatedAt) {

  public static final int MAX_ATTRIBUTES = EventLimits.MAX_ATTRIBUTES;

  public Reference {
    attributes = attributes == null ? Map.of() : attributes;
  }
}
