package io.streamdown.ingest.api;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/** A meter registry for the web slice, which has none of its own, so metrics can be asserted. */
@TestConfiguration(proxyBeanMethods = false)
class SliceMeterRegistry {

  @Bean
  MeterRegistry meterRegistry() {
    return new SimpleMeterRegistry();
  }
}
