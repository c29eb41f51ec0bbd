package io.streamdown.local;

import java.util.ArrayList;
import java.util.Arrays;
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
 * <p>Further instances of a service ({@code --instances N}) listen on the first instance's ports
 * plus {@link #INSTANCE_STRIDE}{@code ·k} (k = 1..N-1), unless the plan names their ports
 * explicitly in {@code instancePorts}, as {@link #freePorts(int)} does.
 *
 * @param brokerPort the PLAINTEXT listener clients connect to
 * @param controllerPort the KRaft controller listener
 * @param services the ports of every service's first instance (k = 0)
 * @param instancePorts explicit ports of further instances: element i is instance i + 1; an
 *     instance without an entry is derived by the stride
 */
public record PortPlan(
    int brokerPort,
    int controllerPort,
    Map<Service, ServicePorts> services,
    Map<Service, List<ServicePorts>> instancePorts) {

  public static final int DEFAULT_BROKER_PORT = 9092;
  public static final int DEFAULT_CONTROLLER_PORT = 9093;

  /** Service HTTP ports are this base plus {@link Service#portOffset()}. */
  public static final int DEFAULT_HTTP_BASE = 8080;

  /** Management port = HTTP port + this offset. */
  public static final int DEFAULT_MANAGEMENT_OFFSET = 1000;

  /** Instance k of a service listens on instance 0's ports plus this stride times k. */
  public static final int INSTANCE_STRIDE = 100;

  /** The most instances of a service the local stack runs (the topics' default partitions). */
  public static final int MAX_INSTANCES = 6;

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
    Map<Service, List<ServicePorts>> instancesCopy = new EnumMap<>(Service.class);
    instancePorts.forEach((service, ports) -> instancesCopy.put(service, List.copyOf(ports)));
    instancePorts = Map.copyOf(instancesCopy);
    requireDistinct(
        uses(brokerPort, controllerPort, services, instancePorts, List.of(Service.values()), 1));
    instancePorts.forEach(
        (service, ports) -> {
          List<PortUse> uses = new ArrayList<>();
          for (int k = 1; k <= ports.size(); k++) {
            addInstance(uses, service, k, ports.get(k - 1));
          }
          requireDistinct(uses);
        });
  }

  /** A plan whose further instances all follow the stride. */
  public PortPlan(int brokerPort, int controllerPort, Map<Service, ServicePorts> services) {
    this(brokerPort, controllerPort, services, Map.of());
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
    return freePorts(1);
  }

  /**
   * Distinct free ports for the broker and {@code instances} instances of every service that
   * scales out ({@link Service#scalesOut()}; one of the others), all chosen by the operating
   * system.
   */
  public static PortPlan freePorts(int instances) {
    requireInstances(instances);
    int scaling = (int) Arrays.stream(Service.values()).filter(Service::scalesOut).count();
    int[] ports =
        PortCheck.freePorts(2 + 2 * Service.values().length + 2 * scaling * (instances - 1));
    Map<Service, ServicePorts> services = new EnumMap<>(Service.class);
    Map<Service, List<ServicePorts>> more = new EnumMap<>(Service.class);
    int next = 2;
    for (Service service : Service.values()) {
      services.put(service, new ServicePorts(ports[next], ports[next + 1]));
      next += 2;
    }
    for (Service service : Service.values()) {
      if (service.scalesOut()) {
        List<ServicePorts> list = new ArrayList<>();
        for (int k = 1; k < instances; k++) {
          list.add(new ServicePorts(ports[next], ports[next + 1]));
          next += 2;
        }
        more.put(service, list);
      }
    }
    return new PortPlan(ports[0], ports[1], services, more);
  }

  /** The ports of {@code service}'s first instance. */
  public ServicePorts ports(Service service) {
    return services.get(service);
  }

  /**
   * The ports of instance {@code index} of {@code service}: explicit ones if the plan has them,
   * else instance 0's plus {@link #INSTANCE_STRIDE}{@code ·index}.
   *
   * @throws IllegalArgumentException if a derived port is outside 1-65535
   */
  public ServicePorts ports(Service service, int index) {
    if (index < 0) {
      throw new IllegalArgumentException("instance index must not be negative: " + index);
    }
    return instance(services, instancePorts, service, index);
  }

  private static ServicePorts instance(
      Map<Service, ServicePorts> services,
      Map<Service, List<ServicePorts>> instancePorts,
      Service service,
      int index) {
    ServicePorts first = services.get(service);
    if (index == 0) {
      return first;
    }
    List<ServicePorts> explicit = instancePorts.getOrDefault(service, List.of());
    if (index <= explicit.size()) {
      return explicit.get(index - 1);
    }
    int shift = INSTANCE_STRIDE * index;
    return new ServicePorts(first.http() + shift, first.management() + shift);
  }

  /** The ports of one instance. */
  public ServicePorts ports(ServiceInstance instance) {
    return ports(instance.service(), instance.index());
  }

  /** The broker's address for clients: {@code localhost:<brokerPort>}. */
  public String bootstrapServers() {
    return "localhost:" + brokerPort;
  }

  /** Every port the broker and the given services need, each with its role. */
  public List<PortUse> uses(Collection<Service> started) {
    return uses(started, 1);
  }

  /**
   * Every port the broker and {@code instances} instances of each started service need ({@link
   * Service#instances(int)}), each with its role.
   *
   * @throws IllegalArgumentException if a derived port is outside 1-65535
   */
  public List<PortUse> uses(Collection<Service> started, int instances) {
    return uses(brokerPort, controllerPort, services, instancePorts, started, instances);
  }

  private static List<PortUse> uses(
      int brokerPort,
      int controllerPort,
      Map<Service, ServicePorts> services,
      Map<Service, List<ServicePorts>> instancePorts,
      Collection<Service> started,
      int instances) {
    List<PortUse> uses = new ArrayList<>();
    uses.add(new PortUse(brokerPort, "Kafka broker"));
    uses.add(new PortUse(controllerPort, "Kafka controller"));
    for (Service service : Service.values()) {
      if (started.contains(service)) {
        addInstance(uses, service, 0, services.get(service));
      }
    }
    for (Service service : Service.values()) {
      if (started.contains(service)) {
        for (int k = 1; k < service.instances(instances); k++) {
          addInstance(uses, service, k, instance(services, instancePorts, service, k));
        }
      }
    }
    return uses;
  }

  private static void addInstance(List<PortUse> uses, Service service, int k, ServicePorts ports) {
    String name = new ServiceInstance(service, k).name();
    uses.add(new PortUse(ports.http(), name + " HTTP"));
    uses.add(new PortUse(ports.management(), name + " management"));
  }

  /**
   * Throws if two uses share a port.
   *
   * @throws IllegalArgumentException naming the port and both roles
   */
  static void requireDistinct(List<PortUse> uses) {
    Map<Integer, String> seen = new HashMap<>();
    for (PortUse use : uses) {
      String earlier = seen.putIfAbsent(use.port(), use.role());
      if (earlier != null) {
        throw new IllegalArgumentException(
            "port " + use.port() + " is planned twice: " + earlier + " and " + use.role());
      }
    }
  }

  static void requireInstances(int instances) {
    if (instances < 1 || instances > MAX_INSTANCES) {
      throw new IllegalArgumentException(
          "instances must be between 1 and " + MAX_INSTANCES + ", not " + instances);
    }
  }

  static void requireValid(int port, String what) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(what + " port " + port + " is outside 1-65535");
    }
  }
}
