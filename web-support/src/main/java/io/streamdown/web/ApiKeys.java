package io.streamdown.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Optional;

/**
 * Recognizes the holder of a bearer token. Only SHA-256 hashes are kept, and a presented token's
 * hash is compared with every configured hash in constant time ({@link MessageDigest#isEqual}),
 * whichever matches, so neither the memory of the process nor the time of an answer gives a token
 * away.
 */
public final class ApiKeys {

  /** Longer than any token worth hashing; longer ones are refused without work. */
  static final int MAX_TOKEN_CHARS = 1024;

  private final List<ApiKey> keys;
  private final List<byte[]> hashes;

  public ApiKeys(List<ApiKey> keys) {
    this.keys = List.copyOf(keys);
    this.hashes = this.keys.stream().map(ApiKey::hashBytes).toList();
  }

  /** True when at least one key is configured, i.e. the API is not open. */
  public boolean enabled() {
    return !keys.isEmpty();
  }

  /** The holder of {@code token}, or empty when it is no configured key's. */
  public Optional<Caller> authenticate(String token) {
    if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_CHARS) {
      return Optional.empty();
    }
    byte[] presented = sha256(token);
    ApiKey match = null;
    for (int i = 0; i < keys.size(); i++) {
      // No early exit: every key is compared, so the time does not say which one matched.
      if (MessageDigest.isEqual(presented, hashes.get(i))) {
        match = keys.get(i);
      }
    }
    return Optional.ofNullable(match).map(key -> new Caller(key.name(), key.scopes()));
  }

  /** The SHA-256 of a token, as configured in {@code streamdown.security.api-keys[].sha256}. */
  public static String hashOf(String token) {
    return java.util.HexFormat.of().formatHex(sha256(token));
  }

  private static byte[] sha256(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
