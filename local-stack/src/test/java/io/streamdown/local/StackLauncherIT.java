package io.streamdown.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.streamdown.schemas.Topic;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's whole sequence against a real broker, with stand-in service jars that take the
 * same arguments and answer the same readiness probe as the real services.
 */
class StackLauncherIT {

  @TempDir Path home;

  @Test
  void startsBrokerTopicsAndServicesThenStopsThemAll() throws Exception {
    FakeServiceJars.install(home);
    StackOptions options =
        StackOptions.builder(home)
            .ports(PortPlan.freePorts())
            .topicPrefix("it.")
            .partitions(2)
            .startTimeout(Duration.ofSeconds(120))
            .build();
    List<String> progress = new ArrayList<>();
    List<ServiceProcess> processes;

    try (StackLauncher stack = new StackLauncher(options).onProgress(progress::add)) {
      stack.start();
      processes = stack.services();

      assertThat(processes).extracting(ServiceProcess::service).containsExactly(Service.values());
      assertThat(stack.startupTime()).isPresent();
      try (Admin admin =
          Admin.create(
              Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()))) {
        List<String> names = options.topicCatalog().all().stream().map(Topic::name).toList();
        Map<String, TopicDescription> topics =
            admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS);
        assertThat(topics.values()).allSatisfy(t -> assertThat(t.partitions()).hasSize(2));
      }
      HttpClient http = HttpClient.newHttpClient();
      for (Service service : Service.values()) {
        ServiceProcess process = stack.service(service);
        assertThat(process.isAlive()).isTrue();
        assertThat(process.readyAfter()).isPresent();
        HttpResponse<String> readiness =
            http.send(
                HttpRequest.newBuilder(process.readinessUrl()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(readiness.statusCode()).isEqualTo(200);
        assertThat(process.logFile()).isEqualTo(options.logFile(service));
        String log = Files.readString(process.logFile());
        ServicePorts ports = options.ports().ports(service);
        assertThat(log)
            .contains("--server.port=" + ports.http())
            .contains("--management.server.port=" + ports.management())
            .contains("--spring.kafka.bootstrap-servers=" + stack.bootstrapServers())
            .contains("--streamdown.topics.prefix=it.");
        assertThat(log.contains("--spring.kafka.streams.state-dir=" + options.stateDir(service)))
            .as("state dir passed to %s", service)
            .isEqualTo(service.kafkaStreams());
      }
      assertThat(progress)
          .anyMatch(line -> line.startsWith("broker ready at " + stack.bootstrapServers()))
          .anyMatch(line -> line.startsWith("created topics"))
          .anyMatch(line -> line.startsWith(Service.QUERY.moduleName() + " ready in"));

      int exitCode = stack.stopService(Service.ENRICH);
      assertThat(exitCode).isNotZero();
      assertThat(PortCheck.isFree(options.ports().ports(Service.ENRICH).http())).isTrue();
      ServiceProcess restarted = stack.startService(Service.ENRICH);
      assertThat(restarted.isAlive()).isTrue();
      assertThat(stack.service(Service.ENRICH)).isSameAs(restarted);
      processes = stack.services();
    }

    assertThat(processes).noneMatch(ServiceProcess::isAlive);
    assertThat(processes)
        .allSatisfy(
            p -> assertThat(Files.readString(p.logFile())).contains("fake service stopping"));
    assertThat(PortCheck.busy(options.ports().uses(Set.of(Service.values())))).isEmpty();
    assertThat(progress).contains("broker stopped");
  }

  @Test
  void startsSeveralInstancesOnTheirOwnPortsStateAndLogsAndSupervisesEach() throws Exception {
    FakeServiceJars.install(home);
    StackOptions options =
        StackOptions.builder(home)
            .ports(PortPlan.freePorts(2))
            .topicPrefix("it2.")
            .partitions(2)
            .instances(2)
            .startTimeout(Duration.ofSeconds(120))
            .build();
    List<String> reports = new ArrayList<>();

    try (StackLauncher stack = new StackLauncher(options);
        Supervisor supervisor =
            Supervisor.watch(
                stack,
                line -> {
                  synchronized (reports) {
                    reports.add(line);
                  }
                },
                Duration.ofMillis(100),
                Duration.ofSeconds(1),
                Duration.ofMinutes(1))) {
      stack.start();

      assertThat(stack.services())
          .extracting(ServiceProcess::instance)
          .containsExactlyElementsOf(options.instancesInOrder());
      assertThat(stack.instances(Service.INGEST)).hasSize(1);
      assertThat(stack.instances(Service.QUERY)).hasSize(2);
      for (ServiceInstance instance : options.instancesInOrder()) {
        ServiceProcess process = stack.service(instance);
        ServicePorts ports = options.ports().ports(instance);
        assertThat(process.ports()).isEqualTo(ports);
        assertThat(process.logFile()).isEqualTo(options.logFile(instance));
        String log = Files.readString(process.logFile());
        assertThat(log).contains("--server.port=" + ports.http());
        assertThat(log.contains("--spring.kafka.streams.state-dir=" + options.stateDir(instance)))
            .as("state dir passed to %s", instance)
            .isEqualTo(instance.service().kafkaStreams());
        assertThat(log.contains("num.standby.replicas=1"))
            .isEqualTo(instance.service().kafkaStreams());
      }

      // A crash of one instance: the supervisor restarts that one on its ports.
      ServiceInstance second = new ServiceInstance(Service.AGGREGATE, 1);
      ServiceProcess crashed = stack.service(second);
      ProcessHandle.of(crashed.pid()).orElseThrow().destroyForcibly();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                synchronized (reports) {
                  return reports.stream()
                      .anyMatch(line -> line.startsWith("aggregate-service-1 is ready again"));
                }
              });
      assertThat(stack.service(second)).isNotSameAs(crashed);
      assertThat(stack.service(new ServiceInstance(Service.AGGREGATE, 0)).isAlive()).isTrue();

      // SIGKILL on purpose: the instance is gone and not restarted until asked.
      assertThat(stack.killService(new ServiceInstance(Service.QUERY, 1))).isEqualTo(137);
      assertThat(PortCheck.isFree(options.ports().ports(Service.QUERY, 1).http())).isTrue();
      ServiceProcess again = stack.startService(new ServiceInstance(Service.QUERY, 1));
      assertThat(again.readyAfter()).isPresent();
    }

    assertThat(PortCheck.busy(options.ports().uses(Set.of(Service.values()), 2))).isEmpty();
  }

  @Test
  void failsNamingTheServiceAndItsLogWhenOneExitsAndLeavesNothingRunning() throws Exception {
    FakeServiceJars.install(home);
    StackOptions options =
        StackOptions.builder(home)
            .ports(PortPlan.freePorts())
            .addServiceArgs(Service.AGGREGATE, List.of("--fake.mode=exit"))
            .startTimeout(Duration.ofSeconds(120))
            .build();
    StackLauncher stack = new StackLauncher(options);

    assertThatThrownBy(stack::start)
        .isInstanceOf(ServiceStartException.class)
        .hasMessageContaining("aggregate-service exited with code 3")
        .hasMessageContaining(options.logFile(Service.AGGREGATE).toString())
        .hasMessageContaining("fake service failing on purpose");

    assertThat(stack.services()).isEmpty();
    assertThat(PortCheck.busy(options.ports().uses(Set.of(Service.values())))).isEmpty();
  }

  @Test
  void reportsAServiceThatNeverBecomesReadyWithItsLastProbe() throws Exception {
    FakeServiceJars.install(home);
    StackOptions options =
        StackOptions.builder(home)
            .ports(PortPlan.freePorts())
            .services(Set.of(Service.QUERY))
            .addServiceArgs(Service.QUERY, List.of("--fake.mode=never"))
            .startTimeout(Duration.ofSeconds(5))
            .build();
    StackLauncher stack = new StackLauncher(options);

    assertThatThrownBy(stack::start)
        .isInstanceOf(ServiceStartException.class)
        .hasMessageContaining("query-service was not ready after 5 s")
        .hasMessageContaining("HTTP 503")
        .hasMessageContaining(options.logFile(Service.QUERY).toString());

    assertThat(PortCheck.busy(options.ports().uses(Set.of(Service.QUERY)))).isEmpty();
  }
}
