package io.streamdown.query.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

class AdvertisedInstanceTest {

  @Test
  void theAdvertisedHostWinsThenAConcreteServerAddressThenLocalhost() {
    assertThat(AdvertisedInstance.host(new MockEnvironment())).isEqualTo("localhost");
    assertThat(
            AdvertisedInstance.host(
                new MockEnvironment().withProperty("server.address", "127.0.0.1")))
        .isEqualTo("127.0.0.1");
    assertThat(
            AdvertisedInstance.host(
                new MockEnvironment().withProperty("server.address", "0.0.0.0")))
        .isEqualTo("localhost");
    assertThat(
            AdvertisedInstance.host(
                new MockEnvironment()
                    .withProperty("server.address", "0.0.0.0")
                    .withProperty("streamdown.query.advertised-host", "query-1.internal")))
        .isEqualTo("query-1.internal");
  }

  @Test
  void beforeTheServerIsUpTheConfiguredPortIsPromised() {
    AdvertisedInstance advertised =
        new AdvertisedInstance(
            new MockEnvironment().withProperty("server.port", "8184"), null);
    assertThat(advertised.get()).isEqualTo(new Instance("localhost", 8184));
    assertThat(advertised.get().id()).isEqualTo("localhost:8184");
  }
}
