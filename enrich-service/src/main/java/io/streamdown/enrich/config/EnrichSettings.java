package io.streamdown.enrich.config;

import java.time.Duration;
import java.util.Objects;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings of the enrich stage ({@code streamdown.enrich.*}).
 *
 * @param dedupeHorizon how far apart (in ingest time) two events with the same id may be and
 *     still count as one; also how long the ids are kept
 * @param referenceHistory how long superseded reference versions are kept, so that an event is
 *     joined with the reference data of its ingest time even when it is processed after newer
 *     reference updates; an event that needs a version superseded longer ago than this finds no
 *     reference data (the latest version of a source never expires)
 * @param dedupeFilterMemory the heap the instance's Bloom filters in front of the de-duplication
 *     store may take (about 1.25 bytes per id of the newest two buckets); beyond it lookups go to
 *     the store, which is slower but as exact; zero turns the filters off
 * @param referenceWait how long an event that finds no reference data for its source waits for
 *     it before it goes on unmatched: a reference upsert and events ingested after it can reach
 *     the stage in an order that would otherwise enrich them without it (enrich README, "Reference
 *     data and time"); events of sources without reference data are delayed this long; zero
 *     turns waiting off
 * @param referenceCache how many sources' latest reference versions each task keeps in memory,
 *     so that an event ingested after its source's latest version (nearly every one) is joined
 *     without reading the store; the least recently joined source goes first; zero turns it off
 */
@ConfigurationProperties("streamdown.enrich")
public record EnrichSettings(
    @DefaultValue("15m") Duration dedupeHorizon,
    @DefaultValue("7d") Duration referenceHistory,
    @DefaultValue("32MB") DataSize dedupeFilterMemory,
    @DefaultValue("1s") Duration referenceWait,
    @DefaultValue("1000") int referenceCache) {

  public static final Duration DEFAULT_DEDUPE_HORIZON = Duration.ofMinutes(15);
  public static final Duration DEFAULT_REFERENCE_HISTORY = Duration.ofDays(7);
  public static final DataSize DEFAULT_DEDUPE_FILTER_MEMORY = DataSize.ofMegabytes(32);
  public static final Duration DEFAULT_REFERENCE_WAIT = Duration.ofSeconds(1);
  public static final int DEFAULT_REFERENCE_CACHE = 1000;

  public EnrichSettings {
    requirePositive("streamdown.enrich.dedupe-horizon", dedupeHorizon);
    requirePositive("streamdown.enrich.reference-history", referenceHistory);
    Objects.requireNonNull(dedupeFilterMemory, "streamdown.enrich.dedupe-filter-memory");
    if (dedupeFilterMemory.isNegative()) {
      throw new IllegalArgumentException(
          "streamdown.enrich.dedupe-filter-memory must not be negative, was "
              + dedupeFilterMemory);
    }
    Objects.requireNonNull(referenceWait, "streamdown.enrich.reference-wait");
    if (referenceWait.isNegative()) {
      throw new IllegalArgumentException(
          "streamdown.enrich.reference-wait must not be negative, was " + referenceWait);
    }
    if (referenceCache < 0) {
      throw new IllegalArgumentException(
          "streamdown.enrich.reference-cache must not be negative, was " + referenceCache);
    }
  }

  public static EnrichSettings defaults() {
    return new EnrichSettings(
        DEFAULT_DEDUPE_HORIZON,
        DEFAULT_REFERENCE_HISTORY,
        DEFAULT_DEDUPE_FILTER_MEMORY,
        DEFAULT_REFERENCE_WAIT,
        DEFAULT_REFERENCE_CACHE);
  }

  /** The same settings with another filter memory. */
  public EnrichSettings withDedupeFilterMemory(DataSize memory) {
    return new EnrichSettings(
        dedupeHorizon, referenceHistory, memory, referenceWait, referenceCache);
  }

  /** The same settings with another reference wait. */
  public EnrichSettings withReferenceWait(Duration wait) {
    return new EnrichSettings(
        dedupeHorizon, referenceHistory, dedupeFilterMemory, wait, referenceCache);
  }

  /** The same settings with another number of latest reference versions kept per task. */
  public EnrichSettings withReferenceCache(int sources) {
    return new EnrichSettings(
        dedupeHorizon, referenceHistory, dedupeFilterMemory, referenceWait, sources);
  }

  private static void requirePositive(String name, Duration value) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, was " + value);
    }
  }
}
