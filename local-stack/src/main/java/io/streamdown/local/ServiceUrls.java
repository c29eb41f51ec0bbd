package io.streamdown.local;

import java.net.URI;

/**
 * The URLs of a service on the local machine, derived from its ports: the application's own API on
 * the HTTP port and the actuator on the management port.
 *
 * @param ports the service's ports
 */
public record ServiceUrls(ServicePorts ports) {

  /** {@code http://localhost:<http port>}. */
  public URI http() {
    return URI.create("http://localhost:" + ports.http());
  }

  /** {@code http://localhost:<http port><path>}, for example {@code /api/v1/events}. */
  public URI url(String path) {
    return URI.create(http() + (path.startsWith("/") ? path : "/" + path));
  }

  /** {@code http://localhost:<management port>/actuator}. */
  public URI actuator() {
    return URI.create("http://localhost:" + ports.management() + "/actuator");
  }

  /** The aggregate health endpoint. */
  public URI health() {
    return URI.create(actuator() + "/health");
  }

  /** The readiness probe ({@code 200 UP} once the service can take traffic). */
  public URI readiness() {
    return URI.create(actuator() + "/health/readiness");
  }

  /** The Prometheus scrape endpoint. */
  public URI prometheus() {
    return URI.create(actuator() + "/prometheus");
  }
}
