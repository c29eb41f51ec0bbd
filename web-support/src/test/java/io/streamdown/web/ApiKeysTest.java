package io.streamdown.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApiKeysTest {

  private static final String INGEST_TOKEN = "ingest-token-1";
  private static final String READ_TOKEN = "read-token-2";

  private final ApiKeys keys =
      new ApiKeys(
          List.of(
              new ApiKey("producer", ApiKeys.hashOf(INGEST_TOKEN), Set.of(Scope.INGEST)),
              new ApiKey(
                  "dashboard",
                  ApiKeys.hashOf(READ_TOKEN).toUpperCase(),
                  Set.of(Scope.QUERY, Scope.REFERENCE))));

  @Test
  void recognizesEachKeyByItsTokenAndGivesItsScopes() {
    assertThat(keys.enabled()).isTrue();
    assertThat(keys.authenticate(INGEST_TOKEN))
        .contains(new Caller("producer", Set.of(Scope.INGEST)));
    assertThat(keys.authenticate(READ_TOKEN))
        .hasValueSatisfying(
            caller -> {
              assertThat(caller.name()).isEqualTo("dashboard");
              assertThat(caller.may(Scope.QUERY)).isTrue();
              assertThat(caller.may(Scope.INGEST)).isFalse();
            });
  }

  @Test
  void refusesUnknownEmptyAndOverlongTokensAndTheHashItself() {
    assertThat(keys.authenticate("ingest-token-")).isEmpty();
    assertThat(keys.authenticate("")).isEmpty();
    assertThat(keys.authenticate(null)).isEmpty();
    assertThat(keys.authenticate(ApiKeys.hashOf(INGEST_TOKEN))).isEmpty();
    assertThat(keys.authenticate("x".repeat(ApiKeys.MAX_TOKEN_CHARS + 1))).isEmpty();
  }

  @Test
  void hashIsTheSha256HexOfTheUtf8Token() {
    // The value `printf %s abc | sha256sum` prints (FIPS 180-2 test vector).
    assertThat(ApiKeys.hashOf("abc"))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }

  @Test
  void noKeysMeansOpen() {
    assertThat(new ApiKeys(List.of()).enabled()).isFalse();
    assertThat(new ApiKeys(List.of()).authenticate(INGEST_TOKEN)).isEmpty();
  }

  @Test
  void keysAreValidatedWhenConfigured() {
    assertThatThrownBy(() -> new ApiKey("k", "not-a-hash", Set.of(Scope.QUERY)))
        .hasMessageContaining("sha256");
    assertThatThrownBy(() -> new ApiKey("k", ApiKeys.hashOf("t"), Set.of()))
        .hasMessageContaining("scopes");
    assertThatThrownBy(() -> new ApiKey(" ", ApiKeys.hashOf("t"), Set.of(Scope.QUERY)))
        .hasMessageContaining("name");
    ApiKey a = new ApiKey("a", ApiKeys.hashOf("t"), Set.of(Scope.QUERY));
    ApiKey sameName = new ApiKey("a", ApiKeys.hashOf("u"), Set.of(Scope.QUERY));
    ApiKey sameToken = new ApiKey("b", ApiKeys.hashOf("t"), Set.of(Scope.INGEST));
    assertThatThrownBy(() -> new SecuritySettings(List.of(a, sameName), "streamdown"))
        .hasMessageContaining("two keys are named 'a'");
    assertThatThrownBy(() -> new SecuritySettings(List.of(a, sameToken), "streamdown"))
        .hasMessageContaining("repeats");
    assertThatThrownBy(() -> new SecuritySettings(List.of(a), "bad\"realm"))
        .hasMessageContaining("realm");
  }
}
