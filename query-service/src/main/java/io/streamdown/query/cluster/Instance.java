package io.streamdown.query.cluster;

import java.util.Objects;
import org.apache.kafka.streams.state.HostInfo;

/**
 * One query-service instance, as Kafka Streams knows it ({@code application.server}): the host
 * and HTTP port other instances reach its API on.
 */
public record Instance(String host, int port) {

  public Instance {
    Objects.requireNonNull(host, "host");
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
  }

  public static Instance of(HostInfo info) {
    return new Instance(info.host(), info.port());
  }

  /** {@code host:port}, as in {@code application.server} and the {@code servedBy} field. */
  public String id() {
    return host + ":" + port;
  }

  @Override
  public String toString() {
    return id();
  }
}
