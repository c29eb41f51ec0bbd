package io.streamdown.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class PortPlanTest {

  @Test
  void defaultsAreTheDocumentedPorts() {
    PortPlan plan = PortPlan.defaults();

    assertThat(plan.brokerPort()).isEqualTo(9092);
    assertThat(plan.controllerPort()).isEqualTo(9093);
    assertThat(plan.ports(Service.INGEST)).isEqualTo(new ServicePorts(8081, 9081));
    assertThat(plan.ports(Service.ENRICH)).isEqualTo(new ServicePorts(8082, 9082));
    assertThat(plan.ports(Service.AGGREGATE)).isEqualTo(new ServicePorts(8083, 9083));
    assertThat(plan.ports(Service.QUERY)).isEqualTo(new ServicePorts(8084, 9084));
    assertThat(plan.bootstrapServers()).isEqualTo("localhost:9092");
  }

  @Test
  void fromBaseShiftsServicePortsByTheirOffsetAndManagementByTheOffset() {
    PortPlan plan = PortPlan.fromBase(29092, 29093, 18000, 500);

    for (Service service : Service.values()) {
      int http = 18000 + service.portOffset();
      assertThat(plan.ports(service)).isEqualTo(new ServicePorts(http, http + 500));
    }
  }

  @Test
  void rejectsAPortPlannedTwice() {
    assertThatThrownBy(() -> PortPlan.fromBase(8081, 9093, 8080, 1000))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("port 8081 is planned twice")
        .hasMessageContaining("Kafka broker")
        .hasMessageContaining("ingest-service HTTP");
  }

  @Test
  void rejectsPortsOutOfRange() {
    assertThatThrownBy(() -> PortPlan.fromBase(9092, 9093, 65534, 1000))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("outside 1-65535");
  }

  @Test
  void rejectsAPlanWithoutEveryService() {
    Map<Service, ServicePorts> services = new EnumMap<>(Service.class);
    services.put(Service.INGEST, new ServicePorts(1, 2));

    assertThatThrownBy(() -> new PortPlan(3, 4, services))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no ports for enrich-service");
  }

  @Test
  void freePortsAreDistinctAndFree() {
    PortPlan plan = PortPlan.freePorts();
    List<PortUse> uses = plan.uses(Set.of(Service.values()));

    assertThat(uses).hasSize(10);
    assertThat(uses.stream().map(PortUse::port).collect(Collectors.toSet())).hasSize(10);
    assertThat(PortCheck.busy(uses)).isEmpty();
  }

  @Test
  void usesListOnlyTheBrokerAndTheStartedServicesWithTheirRoles() {
    PortPlan plan = PortPlan.defaults();

    assertThat(plan.uses(Set.of(Service.QUERY)))
        .containsExactly(
            new PortUse(9092, "Kafka broker"),
            new PortUse(9093, "Kafka controller"),
            new PortUse(8084, "query-service HTTP"),
            new PortUse(9084, "query-service management"));
  }
}
