package io.streamdown.aggregate.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.streamdown.support.MicrometerDeadLetterListener;
import io.micrometer.core.instrument.Timer;
import io.streamdown.aggregate.streams.AggregateListener;
import io.streamdown.schemas.WindowAggregate;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns what the aggregate topology reports into Micrometer meters:
 *
 * <ul>
 *   <li>{@code streamdown.aggregate.late.events{view}}: events dropped by a view because all
 *       their windows had closed;
 *   <li>{@code streamdown.aggregate.unkeyed.events{view}}: events a view skipped for lack of a
 *       group-by field;
 *   <li>{@code streamdown.aggregate.sessions.retracted{view}}: tombstones written for sessions
 *       that a merge or an extension superseded;
 *   <li>{@code streamdown.aggregate.regrouped.events{view}}: events of the view that keys
 *       {@code events.enriched} that came keyed otherwise and took the repartition topic (zero
 *       while enrich and aggregate agree on the keying);
 *   <li>{@code streamdown.freshness.aggregated{view}}: for each aggregate written to
 *       {@code aggregates}, now minus the latest ingest time of its events, as a timer with a
 *       percentile histogram;
 *   <li>{@code streamdown.dlq.records{stage,error}}: dead letters, by stage and exception
 *       class name.
 * </ul>
 */
public final class MicrometerAggregateListener implements AggregateListener {

  public static final String LATE = "streamdown.aggregate.late.events";
  public static final String UNKEYED = "streamdown.aggregate.unkeyed.events";
  public static final String RETRACTED = "streamdown.aggregate.sessions.retracted";
  public static final String REGROUPED = "streamdown.aggregate.regrouped.events";
  public static final String FRESHNESS = "streamdown.freshness.aggregated";
  public static final String DEAD_LETTERS = MicrometerDeadLetterListener.METER;

  private final MeterRegistry registry;
  private final MicrometerDeadLetterListener deadLetters;
  private final Clock clock;
  private final Map<String, Counter> late = new ConcurrentHashMap<>();
  private final Map<String, Counter> unkeyed = new ConcurrentHashMap<>();
  private final Map<String, Counter> retracted = new ConcurrentHashMap<>();
  private final Map<String, Counter> regrouped = new ConcurrentHashMap<>();
  private final Map<String, Timer> freshness = new ConcurrentHashMap<>();

  public MicrometerAggregateListener(MeterRegistry registry, Clock clock) {
    this.registry = registry;
    this.deadLetters = new MicrometerDeadLetterListener(registry);
    this.clock = clock;
  }

  @Override
  public void late(String view) {
    late.computeIfAbsent(
            view,
            v ->
                Counter.builder(LATE)
                    .description("Events dropped by a view because all their windows had closed")
                    .tag("view", v)
                    .register(registry))
        .increment();
  }

  @Override
  public void unkeyed(String view) {
    unkeyed
        .computeIfAbsent(
            view,
            v ->
                Counter.builder(UNKEYED)
                    .description("Events a view skipped because a group-by field was missing")
                    .tag("view", v)
                    .register(registry))
        .increment();
  }

  @Override
  public void emitted(String view, WindowAggregate aggregate) {
    if (aggregate.count() == 0) {
      return;
    }
    long age = Math.max(0L, clock.millis() - aggregate.lastIngestTime());
    freshness
        .computeIfAbsent(
            view,
            v ->
                Timer.builder(FRESHNESS)
                    .description("Time from an aggregate's latest ingest to its emission")
                    .tag("view", v)
                    .publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofMillis(1))
                    .maximumExpectedValue(Duration.ofHours(1))
                    .register(registry))
        .record(Duration.ofMillis(age));
  }

  @Override
  public void retracted(String view) {
    retracted
        .computeIfAbsent(
            view,
            v ->
                Counter.builder(RETRACTED)
                    .description("Tombstones of sessions superseded by a merge or an extension")
                    .tag("view", v)
                    .register(registry))
        .increment();
  }

  @Override
  public void regrouped(String view) {
    regrouped
        .computeIfAbsent(
            view,
            v ->
                Counter.builder(REGROUPED)
                    .description(
                        "Events of the view keying events.enriched that came keyed otherwise and"
                            + " took the repartition topic")
                    .tag("view", v)
                    .register(registry))
        .increment();
  }

  @Override
  public void deadLettered(String stage, String errorClass) {
    deadLetters.deadLettered(stage, errorClass);
  }
}
