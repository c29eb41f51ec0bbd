package io.streamdown.ingest.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.streamdown.ingest.config.ApiAccessConfig;
import io.streamdown.web.AccessRules;
import io.streamdown.web.ApiKeys;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * The ingest API with API keys configured: 401 without a valid key, 403 with the wrong scope, and
 * in neither case does anything reach the Kafka writer.
 */
@Import(ApiAccessConfig.class)
@TestPropertySource(
    properties = {
      // sha256 of "ingest-secret" and "reference-secret"
      "streamdown.security.api-keys[0].name=producer",
      "streamdown.security.api-keys[0].sha256="
          + "0ef1b1cc7714b8962d51d48483dc481b170a6028e0c1488c0778070c42970b1f",
      "streamdown.security.api-keys[0].scopes=ingest",
      "streamdown.security.api-keys[1].name=catalog",
      "streamdown.security.api-keys[1].sha256="
          + "226b90cd97cdcdbe14f56e52fe4ef13dff161925d9c0532be63dcfc7a43b35c6",
      "streamdown.security.api-keys[1].scopes=reference",
    })
class ApiKeysWebTest extends WebSliceTest {

  static final String EVENT = "{\"source\":\"pump-1\",\"type\":\"temp\",\"value\":1}";

  @Autowired AccessRules rules;
  @Autowired RequestMappingHandlerMapping mappings;

  private static MockHttpServletRequestBuilder postEvent() {
    return post("/api/v1/events").contentType(MediaType.APPLICATION_JSON).content(EVENT);
  }

  private static MockHttpServletRequestBuilder putReference() {
    return put("/api/v1/reference/pump-1")
        .contentType(MediaType.APPLICATION_JSON)
        .content("{\"site\":\"north\"}");
  }

  private static MockHttpServletRequestBuilder bearer(
      MockHttpServletRequestBuilder request, String token) {
    return request.header(HttpHeaders.AUTHORIZATION, "Bearer " + token);
  }

  private static void expectStatus(ResultActions result, int status) throws Exception {
    result
        .andExpect(status().is(status))
        .andExpect(header().exists(HttpHeaders.WWW_AUTHENTICATE))
        .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
        .andExpect(jsonPath("$.status").value(status));
  }

  private void expectNothingWritten() {
    verify(writer, never()).writeEvents(anyList());
    verify(writer, never()).writeReference(any());
    verify(writer, never()).deleteReference(anyString());
  }

  @Test
  void configuredHashesAreThoseOfTheTestTokens() {
    // Guards the literal hashes above: a typo there would make every test below pass for the
    // wrong reason (401 instead of the expected status).
    assertThat(ApiKeys.hashOf("ingest-secret"))
        .isEqualTo("0ef1b1cc7714b8962d51d48483dc481b170a6028e0c1488c0778070c42970b1f");
    assertThat(ApiKeys.hashOf("reference-secret"))
        .isEqualTo("226b90cd97cdcdbe14f56e52fe4ef13dff161925d9c0532be63dcfc7a43b35c6");
  }

  @Test
  void withoutAKeyEveryEndpointAnswers401AndWritesNothing() throws Exception {
    expectStatus(perform(postEvent()), 401);
    expectStatus(perform(putReference()), 401);
    expectStatus(perform(delete("/api/v1/reference/pump-1")), 401);
    expectStatus(perform(get("/api/v1/unknown")), 401);
    expectStatus(perform(bearer(postEvent(), "guess")), 401);
    expectNothingWritten();
  }

  @Test
  void aKeyOfAnotherScopeGets403AndWritesNothing() throws Exception {
    expectStatus(perform(bearer(postEvent(), "reference-secret")), 403);
    expectStatus(perform(bearer(putReference(), "ingest-secret")), 403);
    expectStatus(perform(bearer(delete("/api/v1/reference/pump-1"), "ingest-secret")), 403);
    expectNothingWritten();
  }

  @Test
  void theRightKeyGetsThrough() throws Exception {
    perform(bearer(postEvent(), "ingest-secret")).andExpect(status().isAccepted());
    perform(bearer(putReference(), "reference-secret")).andExpect(status().isOk());
    perform(bearer(delete("/api/v1/reference/pump-1"), "reference-secret"))
        .andExpect(status().isNoContent());
  }

  @Test
  void everyRouteOfTheServiceNeedsAScope() {
    List<String> uncovered = new ArrayList<>();
    // The error page (web-support) is left out: with no rule it needs a valid key of any scope.
    mappings.getHandlerMethods().entrySet().stream()
        .filter(
            entry ->
                entry.getValue().getBeanType().getPackageName().startsWith("io.streamdown.ingest"))
        .forEach(
            entry ->
                entry
                    .getKey()
                    .getPatternValues()
                    .forEach(
                        pattern ->
                            entry
                                .getKey()
                                .getMethodsCondition()
                                .getMethods()
                                .forEach(
                                    httpMethod -> {
                                      String path = pattern.replaceAll("\\{[^}]*}", "x");
                                      if (rules.requiredScope(httpMethod.name(), path).isEmpty()) {
                                        uncovered.add(httpMethod + " " + pattern);
                                      }
                                    })));
    assertThat(mappings.getHandlerMethods()).isNotEmpty();
    assertThat(uncovered).isEmpty();
  }
}
