package io.streamdown.query.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Limits of the server-sent event streams ({@code /api/v1/views/{view}/stream}).
 *
 * @param maxStreams the most streams open at once on this instance (more get 503)
 * @param heartbeat how often an idle stream gets a comment, so proxies keep it open
 * @param timeout how long one stream stays open at most (clients reconnect after it)
 * @param buffer the most events queued for one slow client; beyond it the stream is closed
 * @param resubscribeDelay the wait before a relay asks the owner again after losing it
 */
@ConfigurationProperties("streamdown.query.stream")
public record StreamSettings(
    @DefaultValue("200") int maxStreams,
    @DefaultValue("15s") Duration heartbeat,
    @DefaultValue("30m") Duration timeout,
    @DefaultValue("256") int buffer,
    @DefaultValue("1s") Duration resubscribeDelay) {

  public StreamSettings {
    if (maxStreams < 1 || buffer < 1) {
      throw new IllegalArgumentException(
          "streamdown.query.stream.max-streams and buffer must be at least 1");
    }
    for (Duration d : new Duration[] {heartbeat, timeout, resubscribeDelay}) {
      if (d == null || d.isZero() || d.isNegative()) {
        throw new IllegalArgumentException("streamdown.query.stream durations must be positive");
      }
    }
  }

  /** The defaults, as bound when nothing is configured. */
  public static StreamSettings defaults() {
    return new StreamSettings(
        200, Duration.ofSeconds(15), Duration.ofMinutes(30), 256, Duration.ofSeconds(1));
  }
}
