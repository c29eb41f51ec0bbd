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
 * Which API key scope the query API needs: none for the dashboard's files, {@code query} for
 * everything under {@code /api}, which includes what one query instance asks another, so instances
 * authenticate to each other with a key of that scope. Keys are configured in {@code
 * streamdown.security}.
 */
@Configuration(proxyBeanMethods = false)
@Import({HttpHardeningConfiguration.class, ApiKeySecurityConfiguration.class})
public class ApiAccessConfig {

  @Bean
  AccessRules accessRules() {
    return AccessRules.of(
        // The dashboard's own files hold no data and must load before the page can ask its user
        // for a key. Plain names only: nothing else of the public port opens with them.
        AccessRule.publicGet("/"),
        AccessRule.publicGet("/index.html"),
        AccessRule.publicGet("/dashboard/{file:[A-Za-z0-9_-]+\\.(?:js|css|svg)}"),
        AccessRule.any("/api/**", Scope.QUERY));
  }
}
