package io.streamdown.ingest.config;

import io.streamdown.web.AccessRule;
import io.streamdown.web.AccessRules;
import io.streamdown.web.ApiKeySecurityConfiguration;
import io.streamdown.web.HttpHardeningConfiguration;
import io.streamdown.web.Scope;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpMethod;

/**
 * Which API key scope each route of the ingest API needs: posting events needs {@code ingest},
 * writing reference data {@code reference}. Keys are configured in {@code streamdown.security}.
 */
@Configuration(proxyBeanMethods = false)
@Import({HttpHardeningConfiguration.class, ApiKeySecurityConfiguration.class})
public class ApiAccessConfig {

  @Bean
  AccessRules accessRules() {
    return AccessRules.of(
        AccessRule.of(HttpMethod.POST, "/api/v1/events", Scope.INGEST),
        AccessRule.any("/api/v1/reference/**", Scope.REFERENCE));
  }
}
