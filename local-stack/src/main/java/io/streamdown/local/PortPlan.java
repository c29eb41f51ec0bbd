package io.streamdown.local;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every port the local stack listens on: the broker's client and controller listeners and each
 * service's HTTP and management ports. All ports are distinct.
 *
 * <p>{@link #defaults()} is the documented layout (broker 9092, controller 9093, services
 * 8081-8084, management 9081-9084); {@link #fromBase} shifts it; {@link #freePorts()} lets the
 * operating system choose, for tests that run next to a stack on the default ports.
 *
 * @param brokerPort the PLAINTEXT listener clients connect to
 * @param controllerPort the KRaft controller listener
 * @param services the ports of every service
 */
public record PortPlan(int brokerPort, int controllerPort, Map<Service, ServicePorts> services) {

  public static final int DEFAULT_BROKER_PORT = 9092;
  public static final int DEFAULT_CONTROLLER_PORT = 9093;

  /** Service HTTP ports are this base plus {@link Service#portOffset()}. */
  public static final int DEFAULT_HTTP_BASE = 8080;

  /** Management port = HTTP port + this offset. */
  public static final int DEFAULT_MANAGEMENT_OFFSET = 1000;

  public PortPlan {
    requireValid(brokerPort, "broker");
    requireValid(controllerPort, "controller");
    services = new EnumMap<>(services);
    for (Service service : Service.values()) {
      if (!services.containsKey(service)) {
        throw new IllegalArgumentException("no ports for " + service.moduleName());
      }
    }
    services = Map.copyOf(services);
    Map<Integer, String> seen = new HashMap<>();
    for (PortUse use : uses(brokerPort, controllerPort, services, List.of(Service.values()))) {
      String earlier = seen.putIfAbsent(use.port(), use.role());
      if (earlier != null) {
        throw new IllegalArgumentException(
            "port " + use.port() + " is planned twice: " + earlier + " and " + use.role());
      }
    }
  }

  /** Broker 9092, controller 9093, services 8081-8084, management 9081-9084. */
  public static PortPlan defaults() {
    return fromBase(
        DEFAULT_BROKER_PORT, DEFAULT_CONTROLLER_PORT, DEFAULT_HTTP_BASE, DEFAULT_MANAGEMENT_OFFSET);
  }

  /**
   * Service HTTP ports at {@code httpBase + }{@link Service#portOffset()} (1 to 4), management
   * ports at HTTP port {@code + managementOffset}.
   */
  public static PortPlan fromBase(
      int brokerPort, int controllerPort, int httpBase, int managementOffset) {
    Map<Service, ServicePorts> services = new EnumMap<>(Service.class);
    for (Service service : Service.values()) {
      int http = httpBase + service.portOffset();
      services.put(service, new ServicePorts(http, http + managementOffset));
    }
    return new PortPlan(brokerPort, controllerPort, services);
  }

  /**
   * Ten distinct ports the operating system reports free right now. Another process may take one
   * before the stack binds it; tests accept that small race.
   */
  public static PortPlan freePorts() {
    int[] ports = PortCheck.freePorts(2 + 2 * Service.values().length);
    Map<Service, ServicePorts> services = new EnumMap<>(Service.class);
    int next = 2;
    for (Service service : Service.values()) {
      services.put(service, new ServicePorts(ports[next], ports[next + 1]));
      next += 2;
    }
    return new PortPlan(ports[0], ports[1], services);
  }

  /** The ports of {@code service}. */
  public ServicePorts ports(Service service) {
    return services.get(service);
  }

  /** The broker's address for clients: {@code localhost:<brokerPort>}. */
  public String bootstrapServers() {
    return "localhost:" + brokerPort;
  }

  /** Every port the broker and the given services need, each with its role. */
  public List<PortUse> uses(Collection<Service> started) {
    return uses(brokerPort, controllerPort, services, started);
  }

  private static List<PortUse> uses(
      int brokerPort,
      int controllerPort,
      Map<Service, ServicePorts> services,
      Collection<Service> started) {
    List<PortUse> uses = new ArrayList<>();
    uses.add(new PortUse(brokerPort, "Kafka broker"));
    uses.add(new PortUse(controllerPort, "Kafka controller"));
    for (Service service : Service.values()) {
      if (started.contains(service)) {
        ServicePorts ports = services.get(service);
        uses.add(new PortUse(ports.http(), service.moduleName() + " HTTP"));
        uses.add(new PortUse(ports.management(), service.moduleName() + " management"));
      }
    }
    return uses;
  }

  static void requireValid(int port, String what) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(what + " port " + port + " is outside 1-65535");
    }
  }
}
