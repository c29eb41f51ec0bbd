package io.streamdown.query.config;

import io.streamdown.web.AccessRule;
import io.streamdown.web.AccessRules;
import io.streamdown.web.ApiKeySecurityConfiguration;
import io.streamdown.web.HttpHardeningConfiguration;
import io.streamdown.web.Scope;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * Which API key scope the query API needs: {@code query} for everything under {@code /api}, which
 * includes what one query instance asks another, so instances authenticate to each other with a key
 * of that scope. Keys are configured in {@code streamdown.security}.
 */
@Configuration(proxyBeanMethods = false)
@Import({HttpHardeningConfiguration.class, ApiKeySecurityConfiguration.class})
public class ApiAccessConfig {

  @Bean
  AccessRules accessRules() {
    return AccessRules.of(AccessRule.any("/api/**", Scope.QUERY));
  }
}
