package io.streamdown.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.request;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

class RequestFirewallFilterTest {

  @RestController
  static class Echo {
    @RequestMapping("/api/v1/reference/{source}")
    String echo(@PathVariable String source) {
      return source;
    }
  }

  private final MockMvc mvc =
      MockMvcBuilders.standaloneSetup(new Echo()).addFilters(new RequestFirewallFilter()).build();

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/api/v1/reference/..",
        "/api/v1/reference/.",
        "/api/v1/reference/%2e%2e",
        "/api/v1/reference/%2E",
        "/api/v1/reference/a%2fb",
        "/api/v1/reference/a%5cb",
        "/api/v1/reference/a%252e",
        "/api/v1/reference/a;x=1",
        "/api/v1/reference/a%3bx=1",
        "/api/v1//reference/a",
        "/api/v1/reference/a%00",
        "/api/v1/reference/a%0d%0ab",
        "/api/v1/reference/a%7f",
        "/api/v1/x/../reference/a",
      })
  void refusesAmbiguousPaths(String path) throws Exception {
    assertThat(RequestFirewallFilter.pathProblem(path)).isNotNull();
    mvc.perform(get(URI.create(path)))
        .andExpect(status().isBadRequest())
        .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
        .andExpect(jsonPath("$.status").value(400))
        .andExpect(jsonPath("$.detail").isString());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"/api/v1/reference/boiler-1", "/api/v1/reference/a.b", "/api/v1/reference/a%20b"})
  void letsOrdinaryPathsThrough(String path) throws Exception {
    assertThat(RequestFirewallFilter.pathProblem(path)).isNull();
    mvc.perform(get(URI.create(path))).andExpect(status().isOk());
  }

  @Test
  void refusesControlCharactersInTheQueryString() throws Exception {
    assertThat(RequestFirewallFilter.queryProblem("to=1%0d%0aSet-Cookie:x")).isNotNull();
    assertThat(RequestFirewallFilter.queryProblem("to=1%7F")).isNotNull();
    assertThat(RequestFirewallFilter.queryProblem("a=%2F&b=%20c%3D")).isNull();
    assertThat(RequestFirewallFilter.queryProblem(null)).isNull();
    mvc.perform(get(URI.create("/api/v1/reference/a?to=1%00")))
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.status").value(400));
  }

  @Test
  void refusesBackslashes() {
    assertThat(RequestFirewallFilter.pathProblem("/api/v1/reference/a\\b")).contains("backslash");
  }

  @Test
  void refusesMethodsTheApiDoesNotUse() throws Exception {
    mvc.perform(request(HttpMethod.valueOf("TRACE"), "/api/v1/reference/a"))
        .andExpect(status().isMethodNotAllowed())
        .andExpect(header().exists("Allow"))
        .andExpect(jsonPath("$.status").value(405));
    mvc.perform(request(HttpMethod.valueOf("PROPFIND"), "/api/v1/reference/a"))
        .andExpect(status().isMethodNotAllowed());
  }

  @Test
  void refusesRepeatedFramingHeaders() throws Exception {
    // (MockMvc keeps one Content-Type whatever it is given; the real server test sends two.)
    mvc.perform(post("/api/v1/reference/a").header("Host", "a").header("Host", "b"))
        .andExpect(status().isBadRequest());
    mvc.perform(
            post("/api/v1/reference/a")
                .header("Content-Length", "2")
                .header("Transfer-Encoding", "chunked")
                .content("{}"))
        .andExpect(status().isBadRequest());
  }

  @Test
  void refusesContentEncodingButNotIdentity() throws Exception {
    mvc.perform(post("/api/v1/reference/a").header("Content-Encoding", "gzip").content("{}"))
        .andExpect(status().isUnsupportedMediaType())
        .andExpect(jsonPath("$.status").value(415));
    mvc.perform(post("/api/v1/reference/a").header("Content-Encoding", "identity").content("{}"))
        .andExpect(status().isOk());
  }
}
