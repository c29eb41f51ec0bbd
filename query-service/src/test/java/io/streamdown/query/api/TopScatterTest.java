package io.streamdown.query.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamdown.query.Aggregates;
import io.streamdown.query.TestViews;
import io.streamdown.query.cluster.FakeCluster;
import io.streamdown.query.cluster.FakePeer;
import io.streamdown.query.cluster.Instance;
import io.streamdown.query.cluster.PeerClient;
import io.streamdown.query.config.QuerySettings;
import io.streamdown.query.config.RoutingSettings;
import io.streamdown.query.query.AggregateQueries;
import io.streamdown.query.query.QueryResult;
import io.streamdown.query.query.TopMetric;
import io.streamdown.query.query.TopWindow;
import io.streamdown.schemas.GroupKey;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.util.LinkedMultiValueMap;

/** Scatter-gather of {@code top} over made-up clusters, other instances played by HTTP servers. */
class TopScatterTest {

  private static final Instance SELF = new Instance("localhost", 8084);
  private static final long T0 = Instant.parse("2025-03-01T10:00:00Z").toEpochMilli();
  private static final long MINUTE = 60_000;
  private static final String PATH = "/api/v1/views/by-source/top";

  private final AggregateQueries queries = mock(AggregateQueries.class);
  private final PeerClient peers =
      new PeerClient(RoutingSettings.defaults(), new SimpleMeterRegistry());
  private FakePeer other;

  @AfterEach
  void stopPeer() {
    if (other != null) {
      other.close();
    }
  }

  private static String remoteTop(long start, String source, long count) {
    return "{\"view\":\"by-source\",\"windowStart\":\"" + Instant.ofEpochMilli(start)
        + "\",\"windowEnd\":\"" + Instant.ofEpochMilli(start + MINUTE)
        + "\",\"by\":\"count\",\"limit\":2,\"entries\":[{\"rank\":1,\"key\":{\"type\":\"temp\","
        + "\"source\":\"" + source + "\"},\"count\":" + count + ",\"valueCount\":0,\"sum\":0.0,"
        + "\"min\":null,\"max\":null,\"mean\":null,\"p99\":null}],\"servedBy\":{\"instance\":\"r\","
        + "\"route\":\"local\",\"stale\":false,\"lagOffsets\":0},\"partial\":true,"
        + "\"missingPartitions\":[0,2]}";
  }

  private TopScatter scatter(FakeCluster cluster) {
    when(queries.using(any())).thenReturn(queries);
    return new TopScatter(
        cluster, peers, queries, RoutingSettings.defaults(), QuerySettings.defaults());
  }

  private void localTop(long start, String source, int events) {
    TopWindow top =
        new TopWindow(
            start,
            start + MINUTE,
            List.of(
                new TopWindow.Entry(
                    GroupKey.of("temp", source),
                    Aggregates.withValues(
                        TestViews.BY_SOURCE, List.of("temp", source), start, start,
                        new double[events]))));
    when(queries.top(any(), any(), anyInt(), any())).thenReturn(QueryResult.found(top));
  }

  private TopResponse top(TopScatter scatter) {
    Answer answer =
        scatter.top(
            TestViews.BY_SOURCE,
            TopMetric.COUNT,
            2,
            OptionalLong.empty(),
            new Inbound(PATH, "Bearer k", false),
            new LinkedMultiValueMap<>());
    assertThat(answer.route()).isEqualTo("scatter");
    assertThat(answer.servedBy()).isEqualTo(SELF.id());
    return (TopResponse) answer.body();
  }

  @Test
  void everyInstanceRanksItsPartitionsAndTheBestAreMerged() throws Exception {
    other = new FakePeer(uri -> new FakePeer.Reply(200, remoteTop(T0, "remote", 7), "r"));
    FakeCluster cluster =
        new FakeCluster(SELF, 2, key -> 0).active(0, SELF).active(1, other.instance());
    localTop(T0, "local", 3);

    TopResponse top = top(scatter(cluster));

    assertThat(top.partial()).isFalse();
    assertThat(top.missingPartitions()).isEmpty();
    assertThat(top.entries())
        .extracting(e -> e.key().get("source"))
        .containsExactly("remote", "local");
    assertThat(top.entries()).extracting(TopResponse.Entry::rank).containsExactly(1, 2);
    assertThat(top.servedBy()).isEqualTo(new ServedBy(SELF.id(), "scatter", false, 0));
    assertThat(other.requests()).singleElement()
        .satisfies(r -> {
          assertThat(r.header(PeerClient.FORWARDED)).isEqualTo("1");
          assertThat(r.header("Authorization")).isEqualTo("Bearer k");
        });
  }

  @Test
  void anInstanceThatDoesNotAnswerMakesTheAnswerPartialNamingItsPartitions() throws Exception {
    other = new FakePeer(uri -> new FakePeer.Reply(503, "{}", null));
    FakeCluster cluster =
        new FakeCluster(SELF, 3, key -> 0)
            .active(0, SELF)
            .active(1, other.instance())
            .active(2, other.instance());
    localTop(T0, "local", 3);

    TopResponse top = top(scatter(cluster));

    assertThat(top.partial()).isTrue();
    assertThat(top.missingPartitions()).containsExactly(1, 2);
    assertThat(top.entries()).extracting(e -> e.key().get("source")).containsExactly("local");
  }

  @Test
  void anInstanceBehindOnTheLatestWindowIsAskedAgainForIt() throws Exception {
    long newer = T0 + MINUTE;
    other =
        new FakePeer(
            uri ->
                uri.contains("at=" + newer)
                    ? new FakePeer.Reply(200, remoteTop(newer, "remote-new", 9), "r")
                    : new FakePeer.Reply(200, remoteTop(T0, "remote-old", 99), "r"));
    FakeCluster cluster =
        new FakeCluster(SELF, 2, key -> 0).active(0, SELF).active(1, other.instance());
    localTop(newer, "local", 3);

    TopResponse top = top(scatter(cluster));

    assertThat(top.windowStart()).isEqualTo(Instant.ofEpochMilli(newer).toString());
    assertThat(top.entries())
        .extracting(e -> e.key().get("source"))
        .containsExactly("remote-new", "local");
    assertThat(other.requests()).hasSize(2);
    assertThat(other.requests().get(1).pathAndQuery()).isEqualTo(PATH + "?at=" + newer);
  }

  @Test
  void aForwardedTopRanksOnlyTheLocalPartitions() throws Exception {
    FakeCluster cluster =
        new FakeCluster(SELF, 3, key -> 0).active(0, SELF).active(1, new Instance("b", 1));
    localTop(T0, "local", 3);

    Answer answer =
        scatter(cluster)
            .top(
                TestViews.BY_SOURCE,
                TopMetric.COUNT,
                2,
                OptionalLong.empty(),
                new Inbound(PATH, null, true),
                new LinkedMultiValueMap<>());

    TopResponse top = (TopResponse) answer.body();
    assertThat(answer.route()).isEqualTo("local");
    assertThat(top.missingPartitions()).containsExactly(1, 2);
    assertThat(top.partial()).isTrue();
    assertThat(cluster.storesAsked()).containsExactly(0);
  }
}
