package io.streamdown.web;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * Puts the {@link ApiKeyFilter} in front of every request of the public port, first of all filters,
 * so a stranger's request is refused before anything reads or parses it. A service imports this
 * class and declares its {@link AccessRules}. The management port is a child context of its own,
 * which does not pick up this filter.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SecuritySettings.class)
public class ApiKeySecurityConfiguration {

  /** Early, but after the filters that observe requests, so refusals show in request metrics. */
  static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 10;

  private static final Logger log = LoggerFactory.getLogger(ApiKeySecurityConfiguration.class);

  @Bean
  ApiKeys apiKeys(SecuritySettings settings) {
    if (settings.apiKeys().isEmpty()) {
      log.warn("no API key configured (streamdown.security.api-keys): the public API is open");
    } else {
      log.info(
          "{} API key(s) configured: {}",
          settings.apiKeys().size(),
          settings.apiKeys().stream().map(ApiKey::name).toList());
    }
    return new ApiKeys(settings.apiKeys());
  }

  @Bean
  FilterRegistrationBean<ApiKeyFilter> apiKeyFilter(
      ApiKeys keys, AccessRules rules, SecuritySettings settings) {
    FilterRegistrationBean<ApiKeyFilter> registration =
        new FilterRegistrationBean<>(new ApiKeyFilter(keys, rules, settings.realm()));
    registration.setName("apiKeyFilter");
    registration.setOrder(ORDER);
    return registration;
  }
}
