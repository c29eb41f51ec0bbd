package io.streamdown.query.streams;

import io.streamdown.schemas.ViewDefinition;
import java.util.Map;
import org.apache.kafka.streams.state.StoreBuilder;

/**
 * Builds {@link AggregatesReplay}. It has no cache and no changelog of its own: {@code
 * aggregates} is its changelog, which {@link
 * org.apache.kafka.streams.Topology#addReadOnlyStateStore} connects.
 */
record AggregatesReplayBuilder(
    String name, Map<String, ViewDefinition> views, ReplayTargets targets)
    implements StoreBuilder<AggregatesReplay> {

  @Override
  public StoreBuilder<AggregatesReplay> withCachingEnabled() {
    return this;
  }

  @Override
  public StoreBuilder<AggregatesReplay> withCachingDisabled() {
    return this;
  }

  @Override
  public StoreBuilder<AggregatesReplay> withLoggingEnabled(Map<String, String> config) {
    return this;
  }

  @Override
  public StoreBuilder<AggregatesReplay> withLoggingDisabled() {
    return this;
  }

  @Override
  public AggregatesReplay build() {
    return new AggregatesReplay(name, views, targets);
  }

  @Override
  public Map<String, String> logConfig() {
    return Map.of();
  }

  @Override
  public boolean loggingEnabled() {
    return false;
  }
}
