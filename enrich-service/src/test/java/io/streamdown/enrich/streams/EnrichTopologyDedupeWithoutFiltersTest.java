package io.streamdown.enrich.streams;

import io.streamdown.enrich.config.EnrichSettings;
import org.springframework.util.unit.DataSize;

/**
 * The same cases with the filters off, where every lookup goes to the store: the behaviour of a
 * bucket whose filter did not fit in {@code streamdown.enrich.dedupe-filter-memory}.
 */
class EnrichTopologyDedupeWithoutFiltersTest extends EnrichTopologyDedupeTest {

  @Override
  EnrichSettings settings() {
    return EnrichSettings.defaults().withDedupeFilterMemory(DataSize.ofBytes(0));
  }
}
