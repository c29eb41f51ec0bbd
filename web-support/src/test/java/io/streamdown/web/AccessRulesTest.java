package io.streamdown.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;

class AccessRulesTest {

  private final AccessRules rules =
      AccessRules.of(
          AccessRule.publicGet("/index.html"),
          AccessRule.of(HttpMethod.POST, "/api/v1/events", Scope.INGEST),
          AccessRule.any("/api/v1/reference/{source}", Scope.REFERENCE),
          AccessRule.of(HttpMethod.GET, "/api/v1/views/**", Scope.QUERY));

  @Test
  void firstMatchingRuleGivesTheScope() {
    assertThat(rules.requiredScope("POST", "/api/v1/events")).contains(Scope.INGEST);
    assertThat(rules.requiredScope("PUT", "/api/v1/reference/boiler-1")).contains(Scope.REFERENCE);
    assertThat(rules.requiredScope("DELETE", "/api/v1/reference/b")).contains(Scope.REFERENCE);
    assertThat(rules.requiredScope("GET", "/api/v1/views/by-type/top")).contains(Scope.QUERY);
    assertThat(rules.requiredScope("GET", "/api/v1/views")).contains(Scope.QUERY);
  }

  @Test
  void headNeedsWhatGetNeeds() {
    assertThat(rules.requiredScope("HEAD", "/api/v1/views/by-type/top")).contains(Scope.QUERY);
  }

  @Test
  void encodedAndMatrixPathsMatchLikeSpringMvcMatchesThem() {
    assertThat(rules.requiredScope("GET", "/api/v1/%76iews/by-type/top")).contains(Scope.QUERY);
    assertThat(rules.requiredScope("GET", "/api/v1/views;x=1/by-type")).contains(Scope.QUERY);
    assertThat(rules.requiredScope("POST", "/api/v1/%65vents")).contains(Scope.INGEST);
  }

  @Test
  void uncoveredRoutesHaveNoScope() {
    assertThat(rules.requiredScope("GET", "/api/v1/events")).isEmpty();
    assertThat(rules.requiredScope("GET", "/")).isEmpty();
    assertThat(rules.requiredScope("PUT", "/api/v1/reference/a/b")).isEmpty();
  }

  @Test
  void aPublicRouteIsOpenToGetAndHeadOnly() {
    assertThat(rules.isPublic("GET", "/index.html")).isTrue();
    assertThat(rules.isPublic("HEAD", "/index.html")).isTrue();
    assertThat(rules.requiredScope("GET", "/index.html")).isEmpty();
    assertThat(rules.isPublic("POST", "/index.html")).isFalse();
    assertThat(rules.isPublic("GET", "/index.html/x")).isFalse();
    assertThat(rules.isPublic("GET", "/api/v1/views")).isFalse();
    assertThat(rules.isPublic("GET", "/")).isFalse();
  }
}
