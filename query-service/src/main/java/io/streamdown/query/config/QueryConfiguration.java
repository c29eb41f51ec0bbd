package io.streamdown.query.config;

import java.time.Clock;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Binds the service's settings records and provides the clock that request defaults use. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({
  StreamdownSettings.class,
  QuerySettings.class,
  RoutingSettings.class,
  StreamSettings.class
})
public class QueryConfiguration {

  @Bean
  @ConditionalOnMissingBean
  Clock clock() {
    return Clock.systemUTC();
  }
}
