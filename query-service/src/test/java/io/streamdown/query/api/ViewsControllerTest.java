package io.streamdown.query.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamdown.query.Aggregates;
import io.streamdown.query.TestViews;
import io.streamdown.query.cluster.FakeCluster;
import io.streamdown.query.cluster.Instance;
import io.streamdown.query.cluster.PeerClient;
import io.streamdown.query.cluster.QueryCluster;
import io.streamdown.query.config.QuerySettings;
import io.streamdown.query.config.RoutingSettings;
import io.streamdown.query.config.StreamdownSettings;
import io.streamdown.query.query.AggregateQueries;
import io.streamdown.query.query.QueryResult;
import io.streamdown.query.query.Rollup;
import io.streamdown.query.query.TopMetric;
import io.streamdown.query.query.TopWindow;
import io.streamdown.query.query.WindowSeries;
import io.streamdown.schemas.GroupKey;
import io.streamdown.schemas.WindowAggregate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.RequestBuilder;
import org.springframework.test.web.servlet.ResultActions;

@WebMvcTest(ViewsController.class)
@Import({
  QueryApi.class,
  PointRouter.class,
  TopScatter.class,
  PeerClient.class,
  ViewsControllerTest.Config.class
})
class ViewsControllerTest {

  private static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");
  private static final long T0 = Instant.parse("2025-03-01T10:00:00Z").toEpochMilli();
  private static final long MINUTE = 60_000;
  private static final QuerySettings SETTINGS = QuerySettings.defaults();
  static final Instance SELF = new Instance("localhost", 8084);

  @TestConfiguration
  static class Config {
    @Bean
    StreamdownSettings streamdownSettings() {
      return new StreamdownSettings(TestViews.ALL, null);
    }

    @Bean
    QuerySettings querySettings() {
      return SETTINGS;
    }

    @Bean
    Clock clock() {
      return Clock.fixed(NOW, ZoneOffset.UTC);
    }

    @Bean
    MeterRegistry meterRegistry() {
      return new SimpleMeterRegistry();
    }

    @Bean
    RoutingSettings routingSettings() {
      return RoutingSettings.defaults();
    }

    @Bean
    QueryCluster queryCluster() {
      return FakeCluster.standalone(SELF);
    }
  }

  /** Every query goes through one instance's only partition. */
  @BeforeEach
  void queriesReadTheLocalPartition() {
    when(queries.using(any())).thenReturn(queries);
  }

  @Autowired MockMvc mvc;
  @Autowired MeterRegistry registry;
  @MockitoBean AggregateQueries queries;

  // --- views

  @Test
  void listsTheConfiguredViews() throws Exception {
    mvc.perform(get("/api/v1/views"))
        .andExpect(status().isOk())
        .andExpect(header().string("Streamdown-Served-By", SELF.id()))
        .andExpect(jsonPath("$", hasSize(TestViews.ALL.size())))
        .andExpect(jsonPath("$[0].name").value(TestViews.BY_SOURCE.name()))
        .andExpect(jsonPath("$[0].groupBy", contains("type", "source")))
        .andExpect(jsonPath("$[0].window.type").value("tumbling"))
        .andExpect(jsonPath("$[0].window.size").value("PT1M"))
        .andExpect(jsonPath("$[0].retention").value("PT24H"))
        .andExpect(jsonPath("$[0].emit").value("updates"))
        .andExpect(jsonPath("$[1].window.type").value("hopping"))
        .andExpect(jsonPath("$[1].window.advance").value("PT1M"))
        .andExpect(jsonPath("$[1].window.size").value("PT5M"))
        .andExpect(jsonPath("$[0].window.gap").doesNotExist())
        .andExpect(jsonPath("$[3].name").value(TestViews.SESSIONS.name()))
        .andExpect(jsonPath("$[3].window.type").value("session"))
        .andExpect(jsonPath("$[3].window.gap").value("PT30S"))
        .andExpect(jsonPath("$[3].window.size").doesNotExist())
        .andExpect(jsonPath("$[3].window.advance").doesNotExist())
        .andExpect(jsonPath("$[3].grace").value("PT1M"));
  }

  // --- windows

  @Test
  void windowsAnswersWithTheGroupsWindows() throws Exception {
    WindowAggregate window =
        Aggregates.withValues(TestViews.BY_SOURCE, List.of("temp", "dev-1"), T0, T0, 1, 2, 9);
    when(queries.windows(any(), any(), anyLong(), anyLong()))
        .thenReturn(QueryResult.found(new WindowSeries(List.of(window), false)));

    mvc.perform(
            get("/api/v1/views/by-source/windows")
                .param("type", "temp")
                .param("source", "dev-1")
                .param("from", "2025-03-01T09:00:00Z")
                .param("to", Long.toString(T0 + MINUTE)))
        .andExpect(status().isOk())
        .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
        .andExpect(header().string("Streamdown-Served-By", SELF.id()))
        .andExpect(jsonPath("$.servedBy.instance").value(SELF.id()))
        .andExpect(jsonPath("$.servedBy.route").value("local"))
        .andExpect(jsonPath("$.servedBy.stale").value(false))
        .andExpect(jsonPath("$.servedBy.lagOffsets").value(0))
        .andExpect(jsonPath("$.view").value("by-source"))
        .andExpect(jsonPath("$.key.type").value("temp"))
        .andExpect(jsonPath("$.key.source").value("dev-1"))
        .andExpect(jsonPath("$.from").value("2025-03-01T09:00:00Z"))
        .andExpect(jsonPath("$.to").value(Instant.ofEpochMilli(T0 + MINUTE).toString()))
        .andExpect(jsonPath("$.truncated").value(false))
        .andExpect(jsonPath("$.windows", hasSize(1)))
        .andExpect(jsonPath("$.windows[0].start").value(Instant.ofEpochMilli(T0).toString()))
        .andExpect(jsonPath("$.windows[0].end").value(Instant.ofEpochMilli(T0 + MINUTE).toString()))
        .andExpect(jsonPath("$.windows[0].count").value(window.count()))
        .andExpect(jsonPath("$.windows[0].sum").value(window.sum()))
        .andExpect(jsonPath("$.windows[0].min").value(window.min()))
        .andExpect(jsonPath("$.windows[0].max").value(window.max()))
        .andExpect(jsonPath("$.windows[0].mean").value(window.mean()))
        .andExpect(jsonPath("$.windows[0].p50").value(window.quantile(0.5)))
        .andExpect(jsonPath("$.windows[0].p99").value(window.quantile(0.99)))
        .andExpect(
            jsonPath("$.windows[0].firstEventTime")
                .value(Instant.ofEpochMilli(window.firstEventTime()).toString()));

    verify(queries)
        .windows(
            TestViews.BY_SOURCE,
            GroupKey.of("temp", "dev-1"),
            Instant.parse("2025-03-01T09:00:00Z").toEpochMilli(),
            T0 + MINUTE);
    assertThat(registry.find("streamdown.query.requests").tag("endpoint", "windows").timer())
        .isNotNull()
        .satisfies(timer -> assertThat(timer.count()).isPositive());
  }

  @Test
  void windowsDefaultsToTheViewsRetentionUpToNow() throws Exception {
    when(queries.windows(any(), any(), anyLong(), anyLong()))
        .thenReturn(QueryResult.found(new WindowSeries(List.of(), false)));

    mvc.perform(get("/api/v1/views/by-type-5m/windows").param("type", "temp"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.windows", hasSize(0)));

    long to = NOW.toEpochMilli();
    verify(queries)
        .windows(
            TestViews.BY_TYPE_5M,
            GroupKey.of("temp"),
            to - TestViews.BY_TYPE_5M.retention().toMillis(),
            to);
  }

  @Test
  void anOffsetWhosePlusWasNotUrlEncodedStillParses() throws Exception {
    when(queries.windows(any(), any(), anyLong(), anyLong()))
        .thenReturn(QueryResult.found(new WindowSeries(List.of(), false)));

    mvc.perform(
            get("/api/v1/views/by-type-5m/windows?type=temp&from=2025-03-01T10:00:00+01:00"))
        .andExpect(status().isOk());

    verify(queries)
        .windows(
            TestViews.BY_TYPE_5M,
            GroupKey.of("temp"),
            Instant.parse("2025-03-01T09:00:00Z").toEpochMilli(),
            NOW.toEpochMilli());
  }

  @Test
  void keyFieldsWithDotsAreQueryParametersAsNamed() throws Exception {
    when(queries.windows(any(), any(), anyLong(), anyLong()))
        .thenReturn(QueryResult.found(new WindowSeries(List.of(), false)));

    mvc.perform(
            get("/api/v1/views/by-region/windows")
                .param("type", "temp")
                .param("reference.region", "eu-west"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.key['reference.region']").value("eu-west"));

    verify(queries)
        .windows(eq(TestViews.BY_REGION), eq(GroupKey.of("temp", "eu-west")), anyLong(), anyLong());
  }

  // --- rollup

  @Test
  void rollupAnswersWithOneMergedAggregate() throws Exception {
    WindowAggregate first =
        Aggregates.withValues(TestViews.BY_SOURCE, List.of("temp", "dev-1"), T0, T0, 1, 2);
    WindowAggregate second =
        Aggregates.withValues(TestViews.BY_SOURCE, List.of("temp", "dev-1"), T0 + MINUTE, T0, 7);
    WindowAggregate total = first.merge(second);
    when(queries.rollup(any(), any(), anyLong(), anyLong()))
        .thenReturn(QueryResult.found(new Rollup(2, total)));

    mvc.perform(
            get("/api/v1/views/by-source/rollup")
                .param("type", "temp")
                .param("source", "dev-1")
                .param("from", Long.toString(T0))
                .param("to", Long.toString(T0 + MINUTE)))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.view").value("by-source"))
        .andExpect(jsonPath("$.from").value(Instant.ofEpochMilli(T0).toString()))
        .andExpect(jsonPath("$.windows").value(2))
        .andExpect(jsonPath("$.count").value(total.count()))
        .andExpect(jsonPath("$.sum").value(total.sum()))
        .andExpect(jsonPath("$.min").value(total.min()))
        .andExpect(jsonPath("$.max").value(total.max()))
        .andExpect(jsonPath("$.mean").value(total.mean()))
        .andExpect(jsonPath("$.p90").value(total.quantile(0.9)));
  }

  @Test
  void rollupOfAnEmptyRangeIsCountZeroNotNotFound() throws Exception {
    when(queries.rollup(any(), any(), anyLong(), anyLong()))
        .thenReturn(QueryResult.found(new Rollup(0, null)));

    mvc.perform(get("/api/v1/views/by-source/rollup").param("type", "t").param("source", "s"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.count").value(0))
        .andExpect(jsonPath("$.windows").value(0))
        .andExpect(jsonPath("$.min").value(nullValue()))
        .andExpect(jsonPath("$.p99").value(nullValue()));
  }

  // --- key values and maxLag

  @Test
  void aKeyValueTooLongOrWithControlCharactersIsABadRequest() throws Exception {
    for (String value :
        List.of(
            "x".repeat(QueryApi.MAX_KEY_VALUE_LENGTH + 1), "a\u0000b", "line\nbreak", "\u007f")) {
      for (String endpoint : List.of("windows", "rollup")) {
        problem(
                get("/api/v1/views/by-source/" + endpoint)
                    .param("type", "temp")
                    .param("source", value),
                400)
            .andExpect(jsonPath("$.title").value("Invalid key field"))
            .andExpect(jsonPath("$.parameter").value("source"))
            .andExpect(jsonPath("$.maxLength").value(QueryApi.MAX_KEY_VALUE_LENGTH));
      }
    }
    verifyNoInteractions(queries);
  }

  @Test
  void aKeyValueAtTheLimitIsAccepted() throws Exception {
    when(queries.windows(any(), any(), anyLong(), anyLong()))
        .thenReturn(QueryResult.found(new WindowSeries(List.of(), false)));
    String longest = "é".repeat(QueryApi.MAX_KEY_VALUE_LENGTH);
    mvc.perform(
            get("/api/v1/views/by-source/windows").param("type", "temp").param("source", longest))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.key.source").value(longest));
  }

  @Test
  void maxLagMustBeAWholeNonNegativeNumber() throws Exception {
    for (String lag : List.of("-1", "abc", "1.5", "9".repeat(30))) {
      problem(
              get("/api/v1/views/by-source/windows")
                  .param("type", "temp")
                  .param("source", "a")
                  .param("maxLag", lag),
              400)
          .andExpect(jsonPath("$.parameter").value("maxLag"));
    }
    verifyNoInteractions(queries);
  }

  // --- top

  @Test
  void topAnswersWithRankedEntries() throws Exception {
    WindowAggregate busy =
        Aggregates.withValues(TestViews.BY_SOURCE, List.of("temp", "a"), T0, T0, 1, 2, 3);
    WindowAggregate quiet =
        Aggregates.withValues(TestViews.BY_SOURCE, List.of("temp", "b"), T0, T0, 5);
    when(queries.top(any(), any(), anyInt(), any()))
        .thenReturn(
            QueryResult.found(
                new TopWindow(
                    T0,
                    T0 + MINUTE,
                    List.of(
                        new TopWindow.Entry(GroupKey.of("temp", "a"), busy),
                        new TopWindow.Entry(GroupKey.of("temp", "b"), quiet)))));

    mvc.perform(get("/api/v1/views/by-source/top").param("by", "count").param("limit", "2"))
        .andExpect(status().isOk())
        .andExpect(header().string("Streamdown-Served-By", SELF.id()))
        .andExpect(jsonPath("$.servedBy.instance").value(SELF.id()))
        .andExpect(jsonPath("$.servedBy.route").value("scatter"))
        .andExpect(jsonPath("$.partial").value(false))
        .andExpect(jsonPath("$.missingPartitions", hasSize(0)))
        .andExpect(jsonPath("$.view").value("by-source"))
        .andExpect(jsonPath("$.by").value("count"))
        .andExpect(jsonPath("$.limit").value(2))
        .andExpect(jsonPath("$.windowStart").value(Instant.ofEpochMilli(T0).toString()))
        .andExpect(jsonPath("$.windowEnd").value(Instant.ofEpochMilli(T0 + MINUTE).toString()))
        .andExpect(jsonPath("$.entries", hasSize(2)))
        .andExpect(jsonPath("$.entries[0].rank").value(1))
        .andExpect(jsonPath("$.entries[0].key.source").value("a"))
        .andExpect(jsonPath("$.entries[0].count").value(busy.count()))
        .andExpect(jsonPath("$.entries[0].p99").value(busy.quantile(0.99)))
        .andExpect(jsonPath("$.entries[1].rank").value(2))
        .andExpect(jsonPath("$.entries[1].key.type").value("temp"))
        .andExpect(jsonPath("$.entries[1].max").value(quiet.max()));

    verify(queries).top(TestViews.BY_SOURCE, TopMetric.COUNT, 2, OptionalLong.empty());
  }

  @Test
  void topDefaultsToCountAndTheDefaultLimitAndPassesAt() throws Exception {
    when(queries.top(any(), any(), anyInt(), any()))
        .thenReturn(QueryResult.found(TopWindow.none()));

    mvc.perform(get("/api/v1/views/by-source/top").param("at", "2025-03-01T10:00:30Z"))
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.windowStart").value(nullValue()))
        .andExpect(jsonPath("$.entries", hasSize(0)));

    verify(queries)
        .top(
            TestViews.BY_SOURCE,
            TopMetric.COUNT,
            SETTINGS.defaultTopLimit(),
            OptionalLong.of(T0 + 30_000));
  }

  // --- errors

  @Test
  void anUnknownViewIsNotFoundOnEveryEndpoint() throws Exception {
    for (String endpoint : List.of("windows", "rollup", "top")) {
      problem(get("/api/v1/views/nope/" + endpoint), 404)
          .andExpect(jsonPath("$.view").value("nope"))
          .andExpect(jsonPath("$.detail", containsString("nope")));
    }
    verifyNoInteractions(queries);
  }

  @Test
  void aMissingKeyFieldIsABadRequestNamingIt() throws Exception {
    for (String endpoint : List.of("windows", "rollup")) {
      problem(get("/api/v1/views/by-source/" + endpoint).param("type", "temp"), 400)
          .andExpect(jsonPath("$.missingFields", contains("source")))
          .andExpect(jsonPath("$.detail", containsString("source")));
    }
    problem(get("/api/v1/views/by-source/windows"), 400)
        .andExpect(jsonPath("$.missingFields", contains("type", "source")));
    verifyNoInteractions(queries);
  }

  @Test
  void anUnknownQueryParameterIsABadRequest() throws Exception {
    problem(
            get("/api/v1/views/by-source/windows")
                .param("type", "temp")
                .param("source", "s")
                .param("region", "eu"),
            400)
        .andExpect(jsonPath("$.unknownParameters", contains("region")));
    problem(get("/api/v1/views/by-source/top").param("type", "temp"), 400)
        .andExpect(jsonPath("$.unknownParameters", contains("type")));
    problem(get("/api/v1/views/by-source/rollup?type=t&source=s&from=1&tO=2"), 400)
        .andExpect(jsonPath("$.unknownParameters", contains("tO")));
    verifyNoInteractions(queries);
  }

  @Test
  void aRepeatedQueryParameterIsABadRequest() throws Exception {
    problem(get("/api/v1/views/by-source/windows?type=a&type=b&source=s"), 400)
        .andExpect(jsonPath("$.parameter").value("type"));
    verifyNoInteractions(queries);
  }

  @Test
  void aBadTimeIsABadRequest() throws Exception {
    problem(get("/api/v1/views/by-source/windows?type=t&source=s&from=yesterday"), 400)
        .andExpect(jsonPath("$.parameter").value("from"));
    problem(get("/api/v1/views/by-source/rollup?type=t&source=s&to=2025-13-01T00:00:00Z"), 400)
        .andExpect(jsonPath("$.parameter").value("to"));
    problem(get("/api/v1/views/by-source/rollup?type=t&source=s&to=2025-03-01T00:00:00"), 400)
        .andExpect(jsonPath("$.parameter").value("to"));
    problem(get("/api/v1/views/by-source/top?at=-5"), 400)
        .andExpect(jsonPath("$.parameter").value("at"));
    problem(get("/api/v1/views/by-source/top?at=99999999999999999999"), 400)
        .andExpect(jsonPath("$.parameter").value("at"));
    verifyNoInteractions(queries);
  }

  @Test
  void fromAfterToIsABadRequest() throws Exception {
    problem(
        get("/api/v1/views/by-source/windows?type=t&source=s")
            .param("from", Long.toString(T0 + 1))
            .param("to", Long.toString(T0)),
        400);
    // Only `from` given, after the default `to` (now).
    problem(
        get("/api/v1/views/by-source/rollup?type=t&source=s")
            .param("from", Long.toString(NOW.toEpochMilli() + 1)),
        400);
    verifyNoInteractions(queries);
  }

  @Test
  void aRangeLongerThanTheLimitIsABadRequest() throws Exception {
    long to = NOW.toEpochMilli();
    problem(
            get("/api/v1/views/by-source/windows?type=t&source=s")
                .param("from", Long.toString(to - SETTINGS.maxRange().toMillis() - 1))
                .param("to", Long.toString(to)),
            400)
        .andExpect(jsonPath("$.maxRange").value(SETTINGS.maxRange().toString()));
    verifyNoInteractions(queries);
  }

  @Test
  void aBadRankingMetricOrLimitIsABadRequest() throws Exception {
    problem(get("/api/v1/views/by-source/top?by=median"), 400)
        .andExpect(jsonPath("$.parameter").value("by"));
    for (String limit :
        List.of("0", "-1", "abc", "1.5", Integer.toString(SETTINGS.maxTopLimit() + 1))) {
      problem(get("/api/v1/views/by-source/top").param("limit", limit), 400)
          .andExpect(jsonPath("$.parameter").value("limit"));
    }
    verifyNoInteractions(queries);
  }

  @Test
  void unavailableStoresAreServiceUnavailableWithRetryAfter() throws Exception {
    Duration retry = Duration.ofMillis(2500);
    when(queries.windows(any(), any(), anyLong(), anyLong()))
        .thenReturn(QueryResult.unavailable("Kafka Streams is REBALANCING", retry));
    when(queries.rollup(any(), any(), anyLong(), anyLong()))
        .thenReturn(QueryResult.unavailable("Kafka Streams is REBALANCING", retry));
    when(queries.top(any(), any(), anyInt(), any()))
        .thenReturn(QueryResult.unavailable("Kafka Streams is REBALANCING", retry));

    for (String endpoint : List.of("windows?type=t&source=s", "rollup?type=t&source=s")) {
      problem(get("/api/v1/views/by-source/" + endpoint), 503)
          .andExpect(header().string("Retry-After", Long.toString(SETTINGS.retryAfterSeconds())))
          .andExpect(jsonPath("$.retryAfterSeconds").value(SETTINGS.retryAfterSeconds()))
          .andExpect(jsonPath("$.detail").value(containsString("Kafka Streams is REBALANCING")));
    }
    // No partition could be ranked: not an empty ranking, a 503.
    problem(get("/api/v1/views/by-source/top"), 503)
        .andExpect(header().string("Retry-After", Long.toString(SETTINGS.retryAfterSeconds())));
  }

  private ResultActions problem(
      RequestBuilder request, int status) throws Exception {
    return mvc.perform(request)
        .andExpect(status().is(status))
        .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
        .andExpect(jsonPath("$.status").value(status))
        .andExpect(jsonPath("$.title").isNotEmpty());
  }
}
