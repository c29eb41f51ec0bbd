package io.streamdown.query.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How instances of the query service ask each other.
 *
 * @param timeout the deadline of everything one request asks other instances (a forward and its
 *     retries on standby replicas, or every part of a scatter-gather)
 * @param connectTimeout the longest wait for a connection to another instance
 */
@ConfigurationProperties("streamdown.query.routing")
public record RoutingSettings(
    @DefaultValue("2s") Duration timeout, @DefaultValue("1s") Duration connectTimeout) {

  public RoutingSettings {
    if (timeout == null || timeout.isZero() || timeout.isNegative()) {
      throw new IllegalArgumentException("streamdown.query.routing.timeout must be positive");
    }
    if (connectTimeout == null || connectTimeout.isZero() || connectTimeout.isNegative()) {
      throw new IllegalArgumentException(
          "streamdown.query.routing.connect-timeout must be positive");
    }
  }

  /** The defaults, as bound when nothing is configured. */
  public static RoutingSettings defaults() {
    return new RoutingSettings(Duration.ofSeconds(2), Duration.ofSeconds(1));
  }
}
