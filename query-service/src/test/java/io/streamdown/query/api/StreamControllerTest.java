package io.streamdown.query.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.request;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.micrometer.core.instrument.MeterRegistry;
import io.streamdown.query.Aggregates;
import io.streamdown.query.TestViews;
import io.streamdown.query.cluster.PeerClient;
import io.streamdown.query.config.StreamSettings;
import io.streamdown.query.query.AggregateQueries;
import io.streamdown.schemas.GroupKey;
import io.streamdown.schemas.WindowAggregate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

/** The live stream endpoint on the instance owning every key (one partition, one instance). */
@WebMvcTest(StreamController.class)
@Import({
  QueryApi.class,
  PointRouter.class,
  TopScatter.class,
  PeerClient.class,
  LiveStreams.class,
  ViewsControllerTest.Config.class,
  StreamControllerTest.Limits.class
})
class StreamControllerTest {

  private static final long T0 = Instant.parse("2025-03-01T10:00:00Z").toEpochMilli();

  @TestConfiguration
  static class Limits {
    @Bean
    StreamSettings streamSettings() {
      return new StreamSettings(
          1, Duration.ofSeconds(15), Duration.ofMinutes(1), 16, Duration.ofSeconds(1));
    }
  }

  @Autowired MockMvc mvc;
  @Autowired LiveStreams live;
  @Autowired MeterRegistry registry;
  @MockitoBean AggregateQueries queries;

  @Test
  void theOwnerPushesWindowsAndRemovalsAndRefusesStreamsBeyondTheCap() throws Exception {
    MvcResult result =
        mvc.perform(
                get("/api/v1/views/by-source/stream")
                    .param("type", "temp")
                    .param("source", "dev-1")
                    .accept(MediaType.TEXT_EVENT_STREAM))
            .andExpect(request().asyncStarted())
            .andReturn();
    MockHttpServletResponse response = result.getResponse();
    await().atMost(Duration.ofSeconds(10)).until(() -> registry.get("streamdown.query.streams.open")
        .gauge().value() == 1.0);

    WindowAggregate window =
        Aggregates.withValues(TestViews.BY_SOURCE, List.of("temp", "dev-1"), T0, T0, 4.0);
    String group = GroupKey.of("temp", "dev-1").encode();
    live.windowChanged("by-source", group, T0, window);
    live.windowChanged("by-source", GroupKey.of("temp", "other").encode(), T0, window);
    live.windowChanged("by-source", group, T0 + 60_000, null);

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> response.getContentAsString().contains("event:removed"));
    String body = response.getContentAsString();
    assertThat(body)
        .startsWith(":heartbeat")
        .contains("event:window\ndata:{\"start\":\"2025-03-01T10:00:00Z\"")
        .contains("\"count\":1,")
        .contains("event:removed\ndata:{\"start\":\"2025-03-01T10:01:00Z\"}");
    assertThat(body.split("event:window", -1)).hasSize(2); // the other group's window not sent

    mvc.perform(
            get("/api/v1/views/by-source/stream")
                .param("type", "temp")
                .param("source", "dev-2")
                .accept(MediaType.TEXT_EVENT_STREAM))
        .andExpect(status().isServiceUnavailable())
        .andExpect(header().exists("Retry-After"));
  }

  @Test
  void aStreamRequestWithoutItsKeyIsABadRequest() throws Exception {
    mvc.perform(get("/api/v1/views/by-source/stream").param("type", "temp"))
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.missingFields[0]").value("source"));
    mvc.perform(
            get("/api/v1/views/by-source/stream")
                .param("type", "temp")
                .param("source", "a")
                .param("from", "0"))
        .andExpect(status().isBadRequest())
        .andExpect(jsonPath("$.unknownParameters[0]").value("from"));
    mvc.perform(get("/api/v1/views/nope/stream")).andExpect(status().isNotFound());
    // An event-stream client gets the problem's status too, not a 406 or a 500.
    mvc.perform(
            get("/api/v1/views/by-source/stream")
                .param("type", "temp")
                .accept(MediaType.TEXT_EVENT_STREAM))
        .andExpect(status().isBadRequest());
  }
}
