package io.streamdown.query.dashboard;

import io.streamdown.web.ApiKeyFilter;
import jakarta.servlet.Filter;
import java.time.Clock;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The pipeline health service and the public access to the dashboard's files. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DashboardSettings.class)
public class DashboardConfiguration {

  @Bean
  PipelineHealth pipelineHealth(DashboardSettings settings, Clock clock) {
    return new PipelineHealth(settings, clock);
  }

  /**
   * Puts {@link PublicAssetsFilter} in the API key filter's place (same name, order and dispatch
   * types): web-support's access rules have no notion of a public route, and only the dashboard
   * needs one.
   */
  @Bean
  static BeanPostProcessor dashboardAssetsAccess() {
    return new BeanPostProcessor() {
      @Override
      @SuppressWarnings("unchecked")
      public Object postProcessAfterInitialization(Object bean, String name) {
        if (bean instanceof FilterRegistrationBean<?> registration
            && registration.getFilter() instanceof ApiKeyFilter keys) {
          ((FilterRegistrationBean<Filter>) registration).setFilter(new PublicAssetsFilter(keys));
        }
        return bean;
      }
    };
  }
}
