package io.streamdown.local;

/**
 * One instance of a service in the local stack: {@code ./streamdown up --instances N} runs
 * instances 0 to N-1 of every service that {@linkplain Service#scalesOut() scales out}, and
 * instance 0 of the others.
 *
 * @param service the service
 * @param index the instance number, from 0
 */
public record ServiceInstance(Service service, int index) implements Comparable<ServiceInstance> {

  public ServiceInstance {
    if (index < 0) {
      throw new IllegalArgumentException("instance index must not be negative: " + index);
    }
  }

  /** Instance 0 of {@code service}, the only one when the stack runs one of each. */
  public static ServiceInstance first(Service service) {
    return new ServiceInstance(service, 0);
  }

  /**
   * The name used in logs, messages and file names: the module name for instance 0 (so a stack of
   * one instance each keeps its familiar names), {@code <module>-<k>} for the others.
   */
  public String name() {
    return index == 0 ? service.moduleName() : service.moduleName() + "-" + index;
  }

  /** Pipeline order first, then instance number. */
  @Override
  public int compareTo(ServiceInstance other) {
    int byService = service.compareTo(other.service);
    return byService != 0 ? byService : Integer.compare(index, other.index);
  }

  @Override
  public String toString() {
    return name();
  }
}
