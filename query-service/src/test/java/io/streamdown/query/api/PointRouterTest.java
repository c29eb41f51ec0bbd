package io.streamdown.query.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamdown.query.TestViews;
import io.streamdown.query.cluster.FakeCluster;
import io.streamdown.query.cluster.FakePeer;
import io.streamdown.query.cluster.Instance;
import io.streamdown.query.cluster.LocalReplica;
import io.streamdown.query.cluster.PeerClient;
import io.streamdown.query.config.QuerySettings;
import io.streamdown.query.config.RoutingSettings;
import io.streamdown.query.query.AggregateQueries;
import io.streamdown.query.query.QueryResult;
import io.streamdown.schemas.GroupKey;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/**
 * Routing decisions of point queries over made-up clusters, other instances played by HTTP
 * servers.
 */
class PointRouterTest {

  private static final Instance SELF = new Instance("localhost", 8084);
  private static final GroupKey GROUP = GroupKey.of("temp", "dev-1");
  private static final String PATH = "/api/v1/views/by-source/windows?type=temp&source=dev-1";

  private final AggregateQueries queries = mock(AggregateQueries.class);
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final PeerClient peers =
      new PeerClient(new RoutingSettings(Duration.ofSeconds(2), Duration.ofSeconds(1)), registry);
  private FakePeer other;

  @AfterEach
  void stopPeer() {
    if (other != null) {
      other.close();
    }
  }

  private PointRouter router(FakeCluster cluster) {
    when(queries.using(any())).thenReturn(queries);
    return new PointRouter(
        cluster, peers, queries, RoutingSettings.defaults(), QuerySettings.defaults());
  }

  private Answer route(PointRouter router, Inbound inbound, OptionalLong maxLag) {
    return router.route(
        TestViews.BY_SOURCE,
        GROUP,
        maxLag,
        inbound,
        q -> q.rollup(TestViews.BY_SOURCE, GROUP, 0, 1),
        (rollup, servedBy) -> servedBy);
  }

  private static Inbound caller() {
    return new Inbound(PATH, "Bearer secret", false);
  }

  @Test
  void theActiveInstanceAnswersFromItsOwnFreshStore() {
    FakeCluster cluster = new FakeCluster(SELF, 3, key -> 2).active(2, SELF);
    when(queries.rollup(any(), any(), any(Long.class), any(Long.class)))
        .thenReturn(QueryResult.found(new io.streamdown.query.query.Rollup(0, null)));

    Answer answer = route(router(cluster), caller(), OptionalLong.empty());

    assertThat(answer.route()).isEqualTo("local");
    assertThat(answer.servedBy()).isEqualTo(SELF.id());
    assertThat(answer.body()).isEqualTo(new ServedBy(SELF.id(), "local", false, 0));
    assertThat(cluster.storesAsked()).containsExactly(2);
  }

  @Test
  void aKeyOwnedElsewhereIsForwardedWithTheCallersKeyAndItsAnswerPassedOn() throws Exception {
    String owners =
        "{\"count\":3,\"servedBy\":{\"instance\":\"127.0.0.1:9\",\"route\":\"routed\","
            + "\"stale\":false,\"lagOffsets\":0}}";
    other = new FakePeer(uri -> new FakePeer.Reply(200, owners, "127.0.0.1:9"));
    FakeCluster cluster = new FakeCluster(SELF, 3, key -> 1).active(1, other.instance());

    Answer answer = route(router(cluster), caller(), OptionalLong.empty());

    assertThat(answer.route()).isEqualTo("routed");
    assertThat(answer.servedBy()).isEqualTo("127.0.0.1:9");
    assertThat(new String((byte[]) answer.body(), StandardCharsets.UTF_8)).isEqualTo(owners);
    assertThat(other.requests()).hasSize(1);
    FakePeer.Request request = other.requests().get(0);
    assertThat(request.pathAndQuery()).isEqualTo(PATH);
    assertThat(request.header("Authorization")).isEqualTo("Bearer secret");
    assertThat(request.header(PeerClient.FORWARDED)).isEqualTo("1");
    verify(queries, never()).rollup(any(), any(), any(Long.class), any(Long.class));
  }

  @Test
  void whenTheActiveInstanceFailsTheOwnStandbyAnswersAndSaysHowStale() throws Exception {
    other = new FakePeer(uri -> new FakePeer.Reply(503, "{}", null));
    FakeCluster cluster =
        new FakeCluster(SELF, 3, key -> 1).active(1, other.instance()).standby(1, SELF).lag(1, 5);
    when(queries.rollup(any(), any(), any(Long.class), any(Long.class)))
        .thenReturn(QueryResult.found(new io.streamdown.query.query.Rollup(0, null)));

    Answer answer = route(router(cluster), caller(), OptionalLong.empty());

    assertThat(answer.body()).isEqualTo(new ServedBy(SELF.id(), "local", true, 5));
    assertThat(other.requests()).hasSize(1);
    assertThat(registry.get("streamdown.query.forwards.failed").tag("reason", "unavailable")
            .counter().count())
        .isEqualTo(1.0);
  }

  @Test
  void aStandbyTooFarBehindForMaxLagAndADeadOwnerMeanServiceUnavailable() throws Exception {
    other = new FakePeer(uri -> new FakePeer.Reply(200, "{}", null));
    Instance dead = other.instance();
    other.close();
    other = null;
    FakeCluster cluster =
        new FakeCluster(SELF, 3, key -> 1).active(1, dead).standby(1, SELF).lag(1, 5);
    PointRouter router = router(cluster);

    assertThatThrownBy(() -> route(router, caller(), OptionalLong.of(2)))
        .isInstanceOfSatisfying(
            ErrorResponseException.class,
            e -> {
              assertThat(e.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
              assertThat(e.getHeaders().getFirst("Retry-After"))
                  .isEqualTo(Long.toString(QuerySettings.defaults().retryAfterSeconds()));
              assertThat(e.getBody().getDetail()).contains("maxLag 2");
            });
    verify(queries, never()).rollup(any(), any(), any(Long.class), any(Long.class));
    assertThat(registry.get("streamdown.query.forwards.failed").tag("reason", "connect")
            .counter().count())
        .isEqualTo(1.0);
  }

  @Test
  void aForwardedRequestAnsweredFromTheOwnStoreSaysItWasRouted() {
    FakeCluster cluster = new FakeCluster(SELF, 3, key -> 2).active(2, SELF);
    when(queries.rollup(any(), any(), any(Long.class), any(Long.class)))
        .thenReturn(QueryResult.found(new io.streamdown.query.query.Rollup(0, null)));

    Answer answer = route(router(cluster), new Inbound(PATH, null, true), OptionalLong.empty());

    // The asking instance passes this answer on as it is, to a caller it routed.
    assertThat(answer.body()).isEqualTo(new ServedBy(SELF.id(), "routed", false, 0));
    assertThat(answer.servedBy()).isEqualTo(SELF.id());
  }

  @Test
  void anAnswerThatIsNotJsonFallsThroughToTheNextReplica() throws Exception {
    other = new FakePeer(uri -> new FakePeer.Reply(200, "<html>", "b:1", "text/html"));
    FakeCluster cluster =
        new FakeCluster(SELF, 3, key -> 1).active(1, other.instance()).standby(1, SELF).lag(1, 2);
    when(queries.rollup(any(), any(), any(Long.class), any(Long.class)))
        .thenReturn(QueryResult.found(new io.streamdown.query.query.Rollup(0, null)));

    Answer answer = route(router(cluster), caller(), OptionalLong.empty());

    assertThat(answer.body()).isEqualTo(new ServedBy(SELF.id(), "local", true, 2));
    assertThat(registry.get("streamdown.query.forwards.failed").tag("reason", "invalid")
            .counter().count())
        .isEqualTo(1.0);
  }

  @Test
  void aForwardedRequestIsNeverForwardedAgain() throws Exception {
    other = new FakePeer(uri -> new FakePeer.Reply(200, "{}", null));
    FakeCluster cluster = new FakeCluster(SELF, 3, key -> 1).active(1, other.instance());
    PointRouter router = router(cluster);

    assertThatThrownBy(() -> route(router, new Inbound(PATH, null, true), OptionalLong.empty()))
        .isInstanceOfSatisfying(
            ErrorResponseException.class,
            e -> assertThat(e.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE));
    assertThat(other.requests()).isEmpty();
  }

  @Test
  void aLocalStoreThatMovedMidReadFallsThroughToTheNextReplica() throws Exception {
    other =
        new FakePeer(
            uri -> new FakePeer.Reply(200, "{\"servedBy\":{\"route\":\"local\"}}", "b:1"));
    FakeCluster cluster =
        new FakeCluster(SELF, 3, key -> 0).active(0, SELF).standby(0, other.instance());
    when(queries.rollup(any(), any(), any(Long.class), any(Long.class)))
        .thenReturn(QueryResult.unavailable("the store moved", Duration.ofSeconds(1)));

    Answer answer = route(router(cluster), caller(), OptionalLong.empty());

    assertThat(answer.route()).isEqualTo("routed");
    assertThat(answer.servedBy()).isEqualTo("b:1");
  }

  @Test
  void aCopyThatHasNotReportedItsLagNeverAnswersEvenWithoutMaxLag() throws Exception {
    other = new FakePeer(uri -> new FakePeer.Reply(503, "{}", null));
    FakeCluster cluster =
        new FakeCluster(SELF, 3, key -> 1)
            .active(1, other.instance())
            .standby(1, SELF)
            .lag(1, LocalReplica.UNKNOWN_LAG);
    PointRouter router = router(cluster);

    assertThatThrownBy(() -> route(router, caller(), OptionalLong.empty()))
        .isInstanceOfSatisfying(
            ErrorResponseException.class,
            e -> {
              assertThat(e.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
              assertThat(e.getBody().getDetail())
                  .contains("has not reported how far behind it is");
            });
    verify(queries, never()).rollup(any(), any(), any(Long.class), any(Long.class));
  }

  @Test
  void aStaleCopyDroppedWhileItWasReadDoesNotAnswer() throws Exception {
    other =
        new FakePeer(
            uri -> new FakePeer.Reply(200, "{\"servedBy\":{\"route\":\"local\"}}", "b:1"));
    FakeCluster cluster =
        new FakeCluster(SELF, 3, key -> 1)
            .active(1, null)
            .standby(1, SELF)
            .standby(1, other.instance())
            .lag(1, 3);
    // The read of this instance's standby runs while a rebalance takes the copy away.
    when(queries.rollup(any(), any(), any(Long.class), any(Long.class)))
        .thenAnswer(
            call -> {
              cluster.dropStandby(1, SELF);
              return QueryResult.found(new io.streamdown.query.query.Rollup(0, null));
            });

    Answer answer = route(router(cluster), caller(), OptionalLong.empty());

    assertThat(answer.route()).isEqualTo("routed");
    assertThat(answer.servedBy()).isEqualTo("b:1");
  }

  @Test
  void aStaleCopyReportsTheLargerOfItsLagsBeforeAndAfterTheRead() throws Exception {
    FakeCluster cluster =
        new FakeCluster(SELF, 3, key -> 1).active(1, null).standby(1, SELF).lag(1, 3);
    when(queries.rollup(any(), any(), any(Long.class), any(Long.class)))
        .thenAnswer(
            call -> {
              cluster.lag(1, 9);
              return QueryResult.found(new io.streamdown.query.query.Rollup(0, null));
            });

    Answer answer = route(router(cluster), caller(), OptionalLong.empty());

    assertThat(answer.body()).isEqualTo(new ServedBy(SELF.id(), "local", true, 9));
  }
}
