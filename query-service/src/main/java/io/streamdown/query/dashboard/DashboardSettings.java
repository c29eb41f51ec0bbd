package io.streamdown.query.dashboard;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the pipeline health endpoint finds each service's management port, and how long it waits
 * for them.
 *
 * @param services management base URL per service ({@code ingest}, {@code enrich}, {@code
 *     aggregate}, {@code query}); a service left out keeps its local-stack default ({@code
 *     http://localhost:9081} .. {@code 9084})
 * @param timeout how long one call to a service's actuator may take before it counts as DOWN
 * @param cacheFor how long one look at the pipeline is reused, so that many open dashboards cost
 *     the services no more than one
 */
@ConfigurationProperties("streamdown.dashboard")
public record DashboardSettings(
    Map<String, URI> services,
    @DefaultValue("1500ms") Duration timeout,
    @DefaultValue("3s") Duration cacheFor) {

  /** The pipeline's services in pipeline order. */
  public static final List<String> SERVICE_NAMES =
      List.of("ingest", "enrich", "aggregate", "query");

  public DashboardSettings {
    Map<String, URI> merged = new LinkedHashMap<>();
    for (int i = 0; i < SERVICE_NAMES.size(); i++) {
      merged.put(SERVICE_NAMES.get(i), URI.create("http://localhost:" + (9081 + i)));
    }
    if (services != null) {
      services.forEach(
          (name, url) -> {
            if (!merged.containsKey(name)) {
              throw new IllegalArgumentException(
                  "streamdown.dashboard.services." + name + ": unknown service; expected one of "
                      + SERVICE_NAMES);
            }
            merged.put(name, url);
          });
    }
    services = Map.copyOf(merged);
    if (timeout == null || timeout.isZero() || timeout.isNegative()) {
      throw new IllegalArgumentException("streamdown.dashboard.timeout must be positive");
    }
    if (cacheFor == null || cacheFor.isNegative()) {
      throw new IllegalArgumentException("streamdown.dashboard.cache-for must not be negative");
    }
  }

  /** The defaults, as bound when nothing is configured. */
  public static DashboardSettings defaults() {
    return new DashboardSettings(Map.of(), Duration.ofMillis(1500), Duration.ofSeconds(3));
  }
}
