package io.streamdown.web;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the public API's access control ({@code streamdown.security.*}). With no key
 * configured the API is open, which suits a stack bound to loopback; with one or more, every
 * request on the public port needs a valid key of the route's scope. From the environment: {@code
 * STREAMDOWN_SECURITY_APIKEYS_0_NAME}, {@code ..._0_SHA256}, {@code ..._0_SCOPES=ingest,reference}.
 *
 * @param apiKeys the keys, each with its holder's name, the SHA-256 of its token and its scopes
 * @param realm the realm named in {@code WWW-Authenticate}
 */
@ConfigurationProperties("streamdown.security")
public record SecuritySettings(
    @DefaultValue List<ApiKey> apiKeys, @DefaultValue("streamdown") String realm) {

  public SecuritySettings {
    apiKeys = List.copyOf(apiKeys);
    Set<String> names = new HashSet<>();
    Set<String> hashes = new HashSet<>();
    for (ApiKey key : apiKeys) {
      if (!names.add(key.name())) {
        throw new IllegalArgumentException(
            "streamdown.security.api-keys: two keys are named '" + key.name() + "'");
      }
      if (!hashes.add(key.sha256())) {
        throw new IllegalArgumentException(
            "streamdown.security.api-keys: key '" + key.name() + "' repeats another key's token");
      }
    }
    if (realm == null || !realm.matches("[A-Za-z0-9._-]+")) {
      throw new IllegalArgumentException(
          "streamdown.security.realm must be letters, digits, '.', '_' or '-'");
    }
  }

  /** No key configured: the API is open. */
  public static SecuritySettings open() {
    return new SecuritySettings(List.of(), "streamdown");
  }
}
