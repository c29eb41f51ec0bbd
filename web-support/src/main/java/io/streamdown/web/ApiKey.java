package io.streamdown.web;

import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;

/**
 * One configured API key: who holds it, the SHA-256 of its token (never the token itself) and what
 * it may do. The token is whatever the holder sends after {@code Authorization: Bearer }; its hash
 * is {@code printf %s "$TOKEN" | sha256sum}.
 *
 * @param name the holder, for logs and metrics; never secret
 * @param sha256 the SHA-256 of the token's UTF-8 bytes, 64 hexadecimal digits
 * @param scopes what the key may do, at least one
 */
public record ApiKey(String name, String sha256, Set<Scope> scopes) {

  public ApiKey {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("streamdown.security.api-keys[].name must be set");
    }
    if (sha256 == null || !sha256.matches("[0-9a-fA-F]{64}")) {
      throw new IllegalArgumentException(
          "streamdown.security.api-keys[].sha256 of key '"
              + name
              + "' must be the 64 hexadecimal digits of the token's SHA-256");
    }
    if (scopes == null || scopes.isEmpty()) {
      throw new IllegalArgumentException(
          "streamdown.security.api-keys[].scopes of key '" + name + "' must name a scope");
    }
    sha256 = sha256.toLowerCase(Locale.ROOT);
    scopes = Set.copyOf(scopes);
  }

  byte[] hashBytes() {
    return HexFormat.of().parseHex(sha256);
  }
}
