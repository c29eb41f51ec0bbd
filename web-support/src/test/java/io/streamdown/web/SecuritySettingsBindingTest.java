package io.streamdown.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

class SecuritySettingsBindingTest {

  private static SecuritySettings bind(ConfigurationPropertySource... sources) {
    return new Binder(sources).bindOrCreate("streamdown.security", SecuritySettings.class);
  }

  @Test
  void bindsKeysFromEnvironmentVariables() {
    StandardEnvironment environment = new StandardEnvironment();
    environment
        .getPropertySources()
        .addFirst(
            new SystemEnvironmentPropertySource(
                "test-" + StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                Map.of(
                    "STREAMDOWN_SECURITY_APIKEYS_0_NAME", "producer",
                    "STREAMDOWN_SECURITY_APIKEYS_0_SHA256", ApiKeys.hashOf("t0"),
                    "STREAMDOWN_SECURITY_APIKEYS_0_SCOPES", "ingest,reference",
                    "STREAMDOWN_SECURITY_APIKEYS_1_NAME", "dashboard",
                    "STREAMDOWN_SECURITY_APIKEYS_1_SHA256", ApiKeys.hashOf("t1"),
                    "STREAMDOWN_SECURITY_APIKEYS_1_SCOPES", "query")));
    SecuritySettings settings =
        Binder.get(environment).bindOrCreate("streamdown.security", SecuritySettings.class);

    assertThat(settings.apiKeys())
        .containsExactly(
            new ApiKey("producer", ApiKeys.hashOf("t0"), Set.of(Scope.INGEST, Scope.REFERENCE)),
            new ApiKey("dashboard", ApiKeys.hashOf("t1"), Set.of(Scope.QUERY)));
    assertThat(settings.realm()).isEqualTo("streamdown");
  }

  @Test
  void bindsKeysFromYamlStyleProperties() {
    SecuritySettings settings =
        bind(
            new MapConfigurationPropertySource(
                Map.of(
                    "streamdown.security.api-keys[0].name", "ops",
                    "streamdown.security.api-keys[0].sha256", ApiKeys.hashOf("t"),
                    "streamdown.security.api-keys[0].scopes[0]", "QUERY",
                    "streamdown.security.realm", "prod")));
    assertThat(settings.apiKeys()).extracting(ApiKey::name).containsExactly("ops");
    assertThat(settings.apiKeys().get(0).scopes()).containsExactly(Scope.QUERY);
    assertThat(settings.realm()).isEqualTo("prod");
  }

  @Test
  void nothingConfiguredIsOpen() {
    assertThat(bind(new MapConfigurationPropertySource()).apiKeys()).isEmpty();
    assertThat(
            Binder.get(new StandardEnvironment())
                .bindOrCreate("streamdown.security", SecuritySettings.class)
                .apiKeys())
        .isEmpty();
  }
}
