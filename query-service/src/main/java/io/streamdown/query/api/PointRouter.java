package io.streamdown.query.api;

import io.streamdown.query.cluster.Instance;
import io.streamdown.query.cluster.KeyPlacement;
import io.streamdown.query.cluster.LocalReplica;
import io.streamdown.query.cluster.PeerClient;
import io.streamdown.query.cluster.QueryCluster;
import io.streamdown.query.cluster.RoutePlan;
import io.streamdown.query.cluster.Target;
import io.streamdown.query.config.QuerySettings;
import io.streamdown.query.config.RoutingSettings;
import io.streamdown.query.query.AggregateQueries;
import io.streamdown.query.query.QueryResult;
import io.streamdown.schemas.GroupKey;
import io.streamdown.schemas.ViewDefinition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.springframework.stereotype.Component;

/**
 * Answers a point or range query of one group from whichever instance can: the plan of
 * {@link RoutePlan} tried in order within one deadline ({@code streamdown.query.routing.timeout}).
 * A local read uses this instance's copy of the key's partition; a copy that is not a running
 * active task is a stale read, reported with its lag and refused beyond the request's
 * {@code maxLag} or when its lag is not known. Only when every target failed is the answer a
 * 503.
 */
@Component
class PointRouter {

  private final QueryCluster cluster;
  private final PeerClient peers;
  private final AggregateQueries queries;
  private final RoutingSettings routing;
  private final QuerySettings settings;

  PointRouter(
      QueryCluster cluster,
      PeerClient peers,
      AggregateQueries queries,
      RoutingSettings routing,
      QuerySettings settings) {
    this.cluster = cluster;
    this.peers = peers;
    this.queries = queries;
    this.routing = routing;
    this.settings = settings;
  }

  /**
   * Reads the group with {@code read} where its partition is, and shapes the result with
   * {@code shape}, or takes the answer of the instance that read it.
   */
  <T> Answer route(
      ViewDefinition view,
      GroupKey group,
      OptionalLong maxLag,
      Inbound inbound,
      Function<AggregateQueries, QueryResult<T>> read,
      BiFunction<T, ServedBy, Object> shape) {
    Instance self = cluster.self();
    Optional<KeyPlacement> placement = cluster.placement(view.name(), group.encode());
    List<Target> plan = RoutePlan.plan(placement, self, inbound.forwarded());
    long deadline = System.nanoTime() + routing.timeout().toNanos();
    List<String> failures = new ArrayList<>();
    for (Target target : plan) {
      if (target.local()) {
        int partition = placement.orElseThrow().partition();
        Optional<LocalReplica> replica = cluster.localReplica(view.name(), partition);
        if (replica.isEmpty()) {
          failures.add(self + " holds no copy of partition " + partition);
          continue;
        }
        LocalReplica copy = replica.get();
        String refusal = refusal(copy, maxLag);
        if (refusal != null) {
          failures.add(self + "'s copy of partition " + partition + " " + refusal);
          continue;
        }
        QueryResult<T> result =
            read.apply(queries.using(cluster.stores(partition, copy.stale())));
        if (result instanceof QueryResult.Found<T> found) {
          long lag = copy.lagOffsets();
          if (copy.stale()) {
            // A stale copy may have been dropped and re-created empty while it was read (a
            // rebalance): the answer stands only if the copy is still here and still qualifies.
            Optional<LocalReplica> after = cluster.localReplica(view.name(), partition);
            String changed =
                after.isEmpty() || after.get().active() != copy.active()
                    ? "moved while it was read"
                    : refusal(after.get(), maxLag);
            if (changed != null) {
              failures.add(self + "'s copy of partition " + partition + " " + changed);
              continue;
            }
            lag = Math.max(lag, after.get().lagOffsets());
          }
          // A forwarded request's answer goes back through the instance that was asked, which
          // passes it on as it is: it says "routed" from here.
          String route = inbound.forwarded() ? ServedBy.ROUTED : ServedBy.LOCAL;
          ServedBy servedBy = new ServedBy(self.id(), route, copy.stale(), lag);
          return new Answer(shape.apply(found.value(), servedBy), self.id(), ServedBy.LOCAL);
        }
        failures.add(self + ": " + ((QueryResult.Unavailable<T>) result).reason());
      } else {
        Duration left = Duration.ofNanos(deadline - System.nanoTime());
        PeerClient.Reply reply =
            peers.ask(target.instance(), inbound.pathAndQuery(), inbound.authorization(), left);
        if (reply instanceof PeerClient.Reply.Ok ok) {
          return new Answer(ok.body(), ok.servedBy(), ServedBy.ROUTED);
        }
        failures.add(((PeerClient.Reply.Failed) reply).detail());
      }
    }
    throw ApiProblems.unavailable(
        failures.isEmpty()
            ? "no instance is known to hold this key now (the instances are starting or"
                + " rebalancing)"
            : "no replica of this key could answer: " + String.join("; ", failures),
        settings.retryAfterSeconds());
  }

  /**
   * Why a local copy may not answer, or null if it may. A copy that has not reported its lag
   * yet never answers, whatever {@code maxLag} says: it may just have been created and hold
   * nothing, and an empty answer would read as "no events" rather than "not known".
   */
  private static String refusal(LocalReplica copy, OptionalLong maxLag) {
    if (!copy.lagKnown()) {
      return "has not reported how far behind it is yet (it is starting to restore)";
    }
    if (maxLag.isPresent() && copy.lagOffsets() > maxLag.getAsLong()) {
      return "is " + copy.lagOffsets() + " offsets behind (maxLag " + maxLag.getAsLong() + ")";
    }
    return null;
  }
}
