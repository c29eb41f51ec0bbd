package io.streamdown.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamdown.schemas.Topic;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SummaryTest {

  @Test
  void namesTheEntryPointsEveryServiceUrlTheBrokerAndTheDirectories() {
    StackOptions options = StackOptions.builder(Path.of("/repo").toAbsolutePath()).build();

    String summary = Summary.render(options, Duration.ofMillis(12_345));

    assertThat(summary)
        .contains("ready in 12.3 s")
        .contains("POST http://localhost:8081/api/v1/events")
        .contains("GET  http://localhost:8084/api/v1/views")
        .contains("localhost:9092")
        .contains(options.dataDir().toString())
        .contains(options.logsDir().toString());
    for (Service service : Service.values()) {
      ServiceUrls urls = new ServiceUrls(options.ports().ports(service));
      assertThat(summary)
          .contains(service.moduleName())
          .contains(urls.readiness().toString())
          .contains(urls.prometheus().toString());
    }
    for (Topic<?, ?> topic : options.topicCatalog().all()) {
      assertThat(summary).contains(topic.name());
    }
  }

  @Test
  void listsEveryInstancesUrls() {
    StackOptions options =
        StackOptions.builder(Path.of("/repo").toAbsolutePath()).instances(3).build();

    String summary = Summary.render(options, Duration.ofSeconds(5));

    for (ServiceInstance instance : options.instancesInOrder()) {
      ServiceUrls urls = new ServiceUrls(options.ports().ports(instance));
      assertThat(summary).contains(instance.name()).contains(urls.readiness().toString());
    }
    assertThat(summary)
        .contains("http://localhost:8284")
        .contains("standby replicas 1")
        .doesNotContain("ingest-service-1");
  }

  @Test
  void brokerOnlyListsNoServices() {
    StackOptions options =
        StackOptions.builder(Path.of("/repo").toAbsolutePath()).services(Set.of()).build();

    String summary = Summary.render(options, Duration.ofSeconds(5));

    assertThat(summary)
        .doesNotContain("ingest-service")
        .doesNotContain("/api/v1")
        .contains("localhost:9092");
  }
}
