package io.streamdown.query.dashboard;

import java.time.Clock;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The pipeline health service of the dashboard. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DashboardSettings.class)
public class DashboardConfiguration {

  @Bean
  PipelineHealth pipelineHealth(DashboardSettings settings, Clock clock) {
    return new PipelineHealth(settings, clock);
  }
}
