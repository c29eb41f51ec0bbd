package io.streamdown.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ServiceTest {

  @Test
  void jarIsTheSpringBootJarOfTheModuleAtTheProjectVersion() {
    Path home = Path.of("/repo");

    assertThat(Service.VERSION).isNotBlank().doesNotContain("@");
    assertThat(Service.QUERY.jar(home))
        .isEqualTo(home.resolve("query-service/target/query-service-" + Service.VERSION + ".jar"));
  }

  @Test
  void acceptsShortAndModuleNames() {
    for (Service service : Service.values()) {
      assertThat(Service.fromName(service.shortName())).isEqualTo(service);
      assertThat(Service.fromName(service.moduleName().toUpperCase())).isEqualTo(service);
    }
    assertThatThrownBy(() -> Service.fromName("billing"))
        .hasMessageContaining("unknown service 'billing'")
        .hasMessageContaining("ingest");
  }

  @Test
  void onlyTheIngestServiceRunsWithoutKafkaStreams() {
    assertThat(Service.values())
        .filteredOn(service -> !service.kafkaStreams())
        .containsExactly(Service.INGEST);
  }
}
