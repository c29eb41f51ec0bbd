package io.streamdown.enrich.config;

import io.streamdown.schemas.EnrichedKeying;
import io.streamdown.schemas.ViewDefinition;
import java.util.List;
import java.util.Optional;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How enrich keys {@code events.enriched}: the shared {@code streamdown.views} list (the same one
 * aggregate computes) and {@code streamdown.enriched-key}, by default the first view's groups
 * ({@link EnrichedKeying}).
 *
 * @param views the views, as aggregate-service has them
 * @param enrichedKey {@code first-view} (default) or {@code source}
 */
@ConfigurationProperties("streamdown")
public record EnrichedKeySettings(List<ViewDefinition> views, EnrichedKeying.Mode enrichedKey) {

  public EnrichedKeySettings {
    views = views == null ? List.of() : List.copyOf(views);
    enrichedKey = EnrichedKeying.Mode.orDefault(enrichedKey);
  }

  /** The keying these settings give; empty when events stay keyed by source. */
  public Optional<EnrichedKeying> keying() {
    return EnrichedKeying.of(enrichedKey, views);
  }
}
