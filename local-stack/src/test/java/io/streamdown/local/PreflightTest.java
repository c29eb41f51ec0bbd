package io.streamdown.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PreflightTest {

  @TempDir Path home;

  @Test
  void refusesToStartWhenAServicePortIsTakenNamingPortAndRole() throws Exception {
    FakeServiceJars.install(home);
    PortPlan ports = PortPlan.freePorts();
    int taken = ports.ports(Service.ENRICH).management();
    StackOptions options = StackOptions.builder(home).ports(ports).build();

    try (ServerSocket occupier = new ServerSocket(taken)) {
      StackLauncher launcher = new StackLauncher(options);

      assertThatThrownBy(launcher::start)
          .isInstanceOf(PortsInUseException.class)
          .hasMessageContaining("port " + taken + " (enrich-service management)")
          .satisfies(
              e ->
                  assertThat(((PortsInUseException) e).busy())
                      .containsExactly(new PortUse(taken, "enrich-service management")));
      assertThatThrownBy(launcher::broker).isInstanceOf(IllegalStateException.class);
    }
    assertThat(options.kafkaDir()).as("nothing was started").doesNotExist();
    assertThat(options.logsDir()).doesNotExist();
  }

  @Test
  void reportsEveryTakenPortIncludingTheBrokers() throws Exception {
    PortPlan ports = PortPlan.freePorts();
    StackOptions options = StackOptions.builder(home).ports(ports).services(Set.of()).build();

    try (ServerSocket broker = new ServerSocket(ports.brokerPort());
        ServerSocket controller = new ServerSocket(ports.controllerPort())) {
      assertThatThrownBy(() -> new StackLauncher(options).preflight())
          .isInstanceOf(PortsInUseException.class)
          .hasMessageContaining("port " + ports.brokerPort() + " (Kafka broker)")
          .hasMessageContaining("port " + ports.controllerPort() + " (Kafka controller)");
    }
  }

  @Test
  void leavesTheBrokersPortsToAnExternalBrokerButStillChecksTheServices() throws Exception {
    FakeServiceJars.install(home);
    PortPlan ports = PortPlan.freePorts();
    StackOptions options = StackOptions.builder(home).ports(ports).build();

    try (ServerSocket broker = new ServerSocket(ports.brokerPort());
        ServerSocket controller = new ServerSocket(ports.controllerPort())) {
      StackLauncher launcher =
          new StackLauncher(options).useExternalBroker("localhost:" + ports.brokerPort());
      launcher.preflight();

      int taken = ports.ports(Service.QUERY).http();
      try (ServerSocket occupier = new ServerSocket(taken)) {
        assertThatThrownBy(launcher::preflight)
            .isInstanceOf(PortsInUseException.class)
            .satisfies(
                e ->
                    assertThat(((PortsInUseException) e).busy())
                        .containsExactly(new PortUse(taken, "query-service HTTP")));
      }
    }
  }

  @Test
  void passesWhenJarsExistAndPortsAreFree() throws Exception {
    FakeServiceJars.install(home);
    StackOptions options = StackOptions.builder(home).ports(PortPlan.freePorts()).build();

    new StackLauncher(options).preflight();

    assertThat(options.kafkaDir()).doesNotExist();
  }

  @Test
  void namesMissingServiceJarsBeforeCheckingPorts() throws Exception {
    FakeServiceJars.install(home);
    Files.delete(Service.QUERY.jar(home));
    StackOptions options = StackOptions.builder(home).ports(PortPlan.freePorts()).build();

    assertThatThrownBy(() -> new StackLauncher(options).preflight())
        .isInstanceOf(StackException.class)
        .hasMessageContaining(Service.QUERY.jar(home).toString())
        .hasMessageNotContaining(Service.INGEST.jar(home).toString());
  }

  @Test
  void detectsAListenerOnTheLoopbackAddressOnly() throws Exception {
    int port = PortCheck.freePorts(1)[0];
    try (ServerSocket loopback =
        new ServerSocket(port, 50, java.net.InetAddress.getLoopbackAddress())) {
      assertThat(PortCheck.isFree(port)).isFalse();
    }
    assertThat(PortCheck.isFree(port)).isTrue();
  }
}
