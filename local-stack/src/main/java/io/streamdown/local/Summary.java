package io.streamdown.local;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The text {@code ./streamdown up} prints once the stack is ready: where everything is. */
final class Summary {

  private Summary() {}

  static String render(StackOptions options, Duration took) {
    List<String> lines = new ArrayList<>();
    lines.add("Streamdown is up (ready in " + StackLauncher.seconds(took) + ").");
    lines.add("");
    List<Service> services = options.servicesInOrder();
    if (services.contains(Service.INGEST)) {
      lines.add("  send events   POST " + urls(options, Service.INGEST).url("/api/v1/events"));
    }
    if (services.contains(Service.QUERY)) {
      lines.add("  read views    GET  " + urls(options, Service.QUERY).url("/api/v1/views"));
      if (options.instances() > 1) {
        lines.add("                (any query-service instance answers for every key)");
      }
    }
    if (!services.isEmpty()) {
      lines.add("");
      lines.add(row("service", "api", "readiness", "prometheus"));
      for (ServiceInstance instance : options.instancesInOrder()) {
        ServiceUrls urls = new ServiceUrls(options.ports().ports(instance));
        lines.add(
            row(
                instance.name(),
                urls.http().toString(),
                urls.readiness().toString(),
                urls.prometheus().toString()));
      }
      lines.add("");
    }
    PortPlan ports = options.ports();
    lines.add(
        "  broker        "
            + ports.bootstrapServers()
            + "   (controller localhost:"
            + ports.controllerPort()
            + ")");
    lines.add(
        "  topics        "
            + options.topicCatalog().all().stream().map(topic -> topic.name()).toList());
    if (options.instances() > 1) {
      lines.add(
          "  instances     "
              + options.instances()
              + " of enrich, aggregate and query; standby replicas "
              + options.effectiveStandbyReplicas().orElse(0));
    }
    lines.add("  data          " + options.dataDir());
    lines.add("  logs          " + options.logsDir());
    lines.add("");
    lines.add("Press Ctrl-C to stop everything.");
    return String.join(System.lineSeparator(), lines);
  }

  private static ServiceUrls urls(StackOptions options, Service service) {
    return new ServiceUrls(options.ports().ports(service));
  }

  private static String row(String service, String api, String readiness, String prometheus) {
    return String.format(
        Locale.ROOT, "  %-18s %-23s %-48s %s", service, api, readiness, prometheus);
  }
}
