package io.streamdown.web;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

class ApiKeyFilterTest {

  private static final String WRITER = "writer-token";
  private static final String READER = "reader-token";

  @RestController
  static class Endpoints {
    @PostMapping("/api/v1/events")
    String post(HttpServletRequest request) {
      return "posted by " + ((Caller) request.getAttribute(Caller.ATTRIBUTE)).name();
    }

    @GetMapping("/api/v1/views")
    String views() {
      return "views";
    }

    @GetMapping("/page")
    String page() {
      return "page";
    }
  }

  private static final AccessRules RULES =
      AccessRules.of(
          AccessRule.publicGet("/page"),
          AccessRule.of(HttpMethod.POST, "/api/v1/events", Scope.INGEST),
          AccessRule.of(HttpMethod.GET, "/api/v1/views/**", Scope.QUERY));

  private static MockMvc mvc(List<ApiKey> keys) {
    return MockMvcBuilders.standaloneSetup(new Endpoints())
        .addFilters(new ApiKeyFilter(new ApiKeys(keys), RULES, "streamdown"))
        .build();
  }

  private final MockMvc secured =
      mvc(
          List.of(
              new ApiKey("writer", ApiKeys.hashOf(WRITER), Set.of(Scope.INGEST)),
              new ApiKey("reader", ApiKeys.hashOf(READER), Set.of(Scope.QUERY))));

  private static MockHttpServletRequestBuilder postEvent() {
    return post("/api/v1/events").contentType(MediaType.APPLICATION_JSON).content("{}");
  }

  private static void expectUnauthorized(ResultActions result, String challenge) throws Exception {
    result
        .andExpect(status().isUnauthorized())
        .andExpect(header().string(HttpHeaders.WWW_AUTHENTICATE, challenge))
        .andExpect(header().string(HttpHeaders.CACHE_CONTROL, "no-store"))
        .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
        .andExpect(jsonPath("$.status").value(401))
        .andExpect(jsonPath("$.title").value("Unauthorized"))
        .andExpect(jsonPath("$.detail").isString());
  }

  @Test
  void openWhenNoKeyIsConfigured() throws Exception {
    mvc(List.of()).perform(get("/api/v1/views")).andExpect(status().isOk());
  }

  @Test
  void validKeyOfTheRightScopeGetsThrough() throws Exception {
    secured
        .perform(postEvent().header(HttpHeaders.AUTHORIZATION, "Bearer " + WRITER))
        .andExpect(status().isOk())
        .andExpect(content().string("posted by writer"));
    secured
        .perform(get("/api/v1/views").header(HttpHeaders.AUTHORIZATION, "bearer " + READER))
        .andExpect(status().isOk());
  }

  @Test
  void aPublicRouteNeedsNoKeyForGetOnly() throws Exception {
    secured.perform(get("/page")).andExpect(status().isOk()).andExpect(content().string("page"));
    expectUnauthorized(secured.perform(post("/page")), "Bearer realm=\"streamdown\"");
  }

  @Test
  void missingKeyGets401WithABareChallenge() throws Exception {
    expectUnauthorized(secured.perform(postEvent()), "Bearer realm=\"streamdown\"");
    expectUnauthorized(secured.perform(get("/nowhere")), "Bearer realm=\"streamdown\"");
  }

  @Test
  void unknownKeyGets401InvalidToken() throws Exception {
    expectUnauthorized(
        secured.perform(postEvent().header(HttpHeaders.AUTHORIZATION, "Bearer nope")),
        "Bearer realm=\"streamdown\", error=\"invalid_token\"");
  }

  @Test
  void malformedCredentialsGet401InvalidRequest() throws Exception {
    String challenge = "Bearer realm=\"streamdown\", error=\"invalid_request\"";
    for (String authorization :
        List.of(
            "Basic " + WRITER,
            WRITER,
            "Bearer",
            "Bearer ",
            "Bearer  " + WRITER,
            "Bearer " + WRITER + " extra",
            "Bearer " + WRITER + "\"",
            "Bearer " + "a".repeat(ApiKeys.MAX_TOKEN_CHARS + 1))) {
      expectUnauthorized(
          secured.perform(postEvent().header(HttpHeaders.AUTHORIZATION, authorization)), challenge);
    }
  }

  @Test
  void twoAuthorizationHeadersAreRefusedEvenIfOneIsValid() throws Exception {
    expectUnauthorized(
        secured.perform(
            postEvent()
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + WRITER)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + READER)),
        "Bearer realm=\"streamdown\", error=\"invalid_request\"");
  }

  @Test
  void wrongScopeGets403NamingTheScope() throws Exception {
    secured
        .perform(postEvent().header(HttpHeaders.AUTHORIZATION, "Bearer " + READER))
        .andExpect(status().isForbidden())
        .andExpect(
            header()
                .string(
                    HttpHeaders.WWW_AUTHENTICATE,
                    "Bearer realm=\"streamdown\", error=\"insufficient_scope\", scope=\"ingest\""))
        .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
        .andExpect(jsonPath("$.status").value(403))
        .andExpect(jsonPath("$.requiredScope").value("ingest"))
        .andExpect(jsonPath("$.detail").value(not(containsString(READER))));
    secured
        .perform(
            get(URI.create("/api/v1/%76iews"))
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + WRITER))
        .andExpect(status().isForbidden());
  }

  @Test
  void anyValidKeyReachesAnUncoveredPathWhichThenAnswersOnItsOwn() throws Exception {
    secured
        .perform(get("/nowhere").header(HttpHeaders.AUTHORIZATION, "Bearer " + READER))
        .andExpect(status().isNotFound());
  }
}
