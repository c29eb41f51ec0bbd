package io.streamdown.query.streams;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Metrics of the store writer: {@code streamdown.freshness.queryable} (how long after ingest an
 * aggregate became queryable) and {@code streamdown.query.aggregates.skipped{reason}}.
 *
 * <p>Skipped aggregates are not tagged by view: the view name comes from the topic, not from this
 * service's configuration, so its cardinality is not ours to bound. The first few unknown names
 * are logged instead.
 */
public final class MicrometerQueryStoreListener implements QueryStoreListener {

  private static final Logger LOG = LoggerFactory.getLogger(MicrometerQueryStoreListener.class);
  private static final int MAX_LOGGED_VIEWS = 100;

  private final MeterRegistry registry;
  private final Timer freshness;
  private final Set<String> loggedViews = ConcurrentHashMap.newKeySet();

  public MicrometerQueryStoreListener(MeterRegistry registry) {
    this.registry = registry;
    this.freshness =
        Timer.builder("streamdown.freshness.queryable")
            .description("Time from ingest of a window's latest event until it is queryable")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(1))
            .maximumExpectedValue(Duration.ofMinutes(10))
            .register(registry);
  }

  @Override
  public void stored(String view, long freshnessMillis) {
    freshness.record(freshnessMillis, TimeUnit.MILLISECONDS);
  }

  @Override
  public void skipped(String view, SkipReason reason) {
    Counter.builder("streamdown.query.aggregates.skipped")
        .description("Aggregates not stored, by reason")
        .tag("reason", reason.tag())
        .register(registry)
        .increment();
    if (loggedViews.size() < MAX_LOGGED_VIEWS && loggedViews.add(view + '/' + reason)) {
      LOG.warn(
          "Skipping aggregates of view '{}' ({}); further ones are only counted",
          view,
          reason.tag());
    }
  }
}
