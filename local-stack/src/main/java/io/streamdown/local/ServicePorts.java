package io.streamdown.local;

/**
 * The two ports of one service: the application's HTTP port and the actuator's management port.
 *
 * @param http {@code server.port}
 * @param management {@code management.server.port}
 */
public record ServicePorts(int http, int management) {

  public ServicePorts {
    PortPlan.requireValid(http, "http");
    PortPlan.requireValid(management, "management");
  }
}
