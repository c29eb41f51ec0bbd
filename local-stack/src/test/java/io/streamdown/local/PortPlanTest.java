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
  void furtherInstancesListenOnTheFirstOnesPortsPlusAHundredTimesK() {
    PortPlan plan = PortPlan.defaults();

    assertThat(plan.ports(Service.QUERY, 0)).isEqualTo(new ServicePorts(8084, 9084));
    assertThat(plan.ports(Service.QUERY, 1)).isEqualTo(new ServicePorts(8184, 9184));
    assertThat(plan.ports(Service.QUERY, 2)).isEqualTo(new ServicePorts(8284, 9284));
    assertThat(plan.ports(new ServiceInstance(Service.AGGREGATE, 5)))
        .isEqualTo(new ServicePorts(8583, 9583));
  }

  @Test
  void usesOfSeveralInstancesCoverEveryInstanceButIngestOnce() {
    List<PortUse> uses = PortPlan.defaults().uses(Set.of(Service.values()), 3);

    // broker + controller, ingest once, three each of enrich, aggregate, query: two ports apiece
    assertThat(uses).hasSize(2 + 2 * (1 + 3 * 3));
    assertThat(uses)
        .contains(
            new PortUse(8184, "query-service-1 HTTP"),
            new PortUse(9284, "query-service-2 management"),
            new PortUse(8283, "aggregate-service-2 HTTP"))
        .noneMatch(use -> use.role().startsWith("ingest-service-"));
    assertThat(uses.stream().map(PortUse::port).collect(Collectors.toSet())).hasSize(uses.size());
  }

  @Test
  void derivedInstancePortsThatClashAreRejectedByTheOptions() {
    // Management offset 100: enrich-service-1's HTTP port 8182 is enrich-service's management.
    PortPlan plan = PortPlan.fromBase(9092, 9093, 8080, 100);

    StackOptions.Builder options =
        StackOptions.builder(java.nio.file.Path.of("/repo")).ports(plan).instances(2);

    assertThat(options.instances(1).build().instances()).isEqualTo(1);
    assertThatThrownBy(() -> options.instances(2).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("port 8182 is planned twice");
  }

  @Test
  void freePortsForSeveralInstancesAreDistinctAndFree() {
    PortPlan plan = PortPlan.freePorts(3);
    List<PortUse> uses = plan.uses(Set.of(Service.values()), 3);

    assertThat(uses).hasSize(22);
    assertThat(uses.stream().map(PortUse::port).collect(Collectors.toSet())).hasSize(22);
    assertThat(PortCheck.busy(uses)).isEmpty();
    assertThat(plan.ports(Service.QUERY, 2)).isNotEqualTo(plan.ports(Service.QUERY, 1));
  }

  @Test
  void instanceCountsOutsideOneToSixAreRejected() {
    assertThatThrownBy(() -> PortPlan.freePorts(7))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("between 1 and 6");
    assertThatThrownBy(() -> PortPlan.freePorts(0)).isInstanceOf(IllegalArgumentException.class);
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
