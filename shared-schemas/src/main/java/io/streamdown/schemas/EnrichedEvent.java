package io.streamdown.schemas;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * An event after enrichment, as it travels on {@code events.enriched}.
 *
 * @param event the event as ingested
 * @param reference the attributes of the event's source as they stood when the event was
 *     ingested, or null when the source had no reference data then (an unmatched event)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EnrichedEvent(Event event, Map<String, Object> reference) {

  public boolean matched() {
    return reference != null;
  }
}
