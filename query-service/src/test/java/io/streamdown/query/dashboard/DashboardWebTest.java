package io.streamdown.query.dashboard;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.is;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.head;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.forwardedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.streamdown.query.config.ApiAccessConfig;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;

/**
 * With API keys configured, the dashboard's files load without a key, while the pipeline
 * endpoint, and every other path, needs a {@code query} key like the rest of the API.
 */
@WebMvcTest(PipelineController.class)
@Import({DashboardConfiguration.class, ApiAccessConfig.class, DashboardWebTest.Config.class})
@TestPropertySource(
    properties = {
      // sha256 of "query-secret"
      "streamdown.security.api-keys[0].name=dashboard",
      "streamdown.security.api-keys[0].sha256="
          + "78b37cc1958636328a8ad840f1cb630ab9a3750e8d349439777fe8969b7dfe7c",
      "streamdown.security.api-keys[0].scopes=query",
      // Nothing listens there: every service is DOWN, quickly.
      "streamdown.dashboard.services.ingest=http://127.0.0.1:1",
      "streamdown.dashboard.services.enrich=http://127.0.0.1:1",
      "streamdown.dashboard.services.aggregate=http://127.0.0.1:1",
      "streamdown.dashboard.services.query=http://127.0.0.1:1",
    })
class DashboardWebTest {

  @TestConfiguration
  static class Config {
    @Bean
    Clock clock() {
      return Clock.systemUTC();
    }
  }

  @Autowired MockMvc mvc;

  @Test
  void thePagesOwnFilesNeedNoKey() throws Exception {
    mvc.perform(get("/")).andExpect(status().isOk()).andExpect(forwardedUrl("index.html"));
    mvc.perform(get("/index.html"))
        .andExpect(status().isOk())
        .andExpect(content().string(containsString("<title>Streamdown dashboard</title>")));
    for (String path : new String[] {"/dashboard/app.js", "/dashboard/app.css"}) {
      mvc.perform(get(path)).andExpect(status().isOk());
    }
    mvc.perform(head("/dashboard/icon.svg")).andExpect(status().isOk());
  }

  @Test
  void anythingElseStillNeedsAKey() throws Exception {
    for (String path :
        new String[] {
          "/api/v1/pipeline", "/api/v1/views", "/other.html", "/x.js", "/dashboard/app.js/",
          "/dashboard/app.json", "/dashboard/sub/app.js", "/index.html/x"
        }) {
      mvc.perform(get(path)).andExpect(status().isUnauthorized());
    }
    mvc.perform(post("/index.html")).andExpect(status().isUnauthorized());
    mvc.perform(get("/dashboard/../api/v1/views")).andExpect(status().is4xxClientError());
  }

  @Test
  void thePipelineAnswersWithAQueryKeyAndShowsUnreachableServicesAsDown() throws Exception {
    mvc.perform(get("/api/v1/pipeline").header(HttpHeaders.AUTHORIZATION, "Bearer query-secret"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.services.length()").value(4))
        .andExpect(jsonPath("$.services[0].name").value("ingest"))
        .andExpect(jsonPath("$.services[3].name").value("query"))
        .andExpect(jsonPath("$.services[*].status").value(everyItem(is("DOWN"))))
        .andExpect(jsonPath("$.checkedAt").isString());
  }
}
