package io.streamdown.query.api;

import io.streamdown.query.cluster.Instance;
import io.streamdown.query.cluster.PeerClient;
import io.streamdown.query.cluster.QueryCluster;
import io.streamdown.query.cluster.TopMerge;
import io.streamdown.query.config.QuerySettings;
import io.streamdown.query.config.RoutingSettings;
import io.streamdown.query.query.AggregateQueries;
import io.streamdown.query.query.QueryResult;
import io.streamdown.query.query.TopMetric;
import io.streamdown.query.query.TopWindow;
import io.streamdown.schemas.GroupKey;
import io.streamdown.schemas.Json;
import io.streamdown.schemas.ViewDefinition;
import io.streamdown.schemas.WindowAggregate;
import io.streamdown.schemas.WindowType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.springframework.stereotype.Component;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;

/**
 * {@code top} over every instance: each one ranks the partitions whose active task it holds
 * (this one directly, the others over HTTP in parallel, within one deadline), and the parts are
 * merged here. Parts must rank the same window; without {@code at}, that is the latest window
 * any part saw, and parts that ranked an older one are asked again for it. Partitions nobody
 * ranked make the answer {@code partial}, listed in {@code missingPartitions}; when no partition
 * at all could be ranked the answer is a 503.
 */
@Component
class TopScatter {

  private final QueryCluster cluster;
  private final PeerClient peers;
  private final AggregateQueries queries;
  private final RoutingSettings routing;
  private final QuerySettings settings;

  TopScatter(
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

  private record Remote(Instance instance, CompletableFuture<PeerClient.Reply> reply) {}

  Answer top(
      ViewDefinition view,
      TopMetric by,
      int limit,
      OptionalLong at,
      Inbound inbound,
      MultiValueMap<String, String> params) {
    Instance self = cluster.self();
    Set<Integer> all = cluster.partitions(view.name());
    if (inbound.forwarded()) {
      TopMerge.Part<TopResponse.Entry> part = localPart(view, by, limit, at);
      List<Integer> missing = TopMerge.missing(all, List.of(part));
      ServedBy servedBy = ServedBy.fresh(self.id(), ServedBy.LOCAL);
      return new Answer(
          response(view, by, limit, part, part.entries(), servedBy, missing),
          self.id(),
          ServedBy.LOCAL);
    }
    long deadline = System.nanoTime() + routing.timeout().toNanos();
    List<Remote> remotes = new ArrayList<>();
    cluster
        .activePartitions(view.name())
        .forEach(
            (instance, partitions) -> {
              if (!instance.equals(self) && !partitions.isEmpty()) {
                remotes.add(
                    new Remote(
                        instance,
                        peers.get(instance, inbound.pathAndQuery(), inbound.authorization(),
                            left(deadline))));
              }
            });
    TopMerge.Part<TopResponse.Entry> local = localPart(view, by, limit, at);
    Map<Instance, TopMerge.Part<TopResponse.Entry>> parts = new LinkedHashMap<>();
    parts.put(self, local);
    for (Remote remote : remotes) {
      PeerClient.Reply reply = remote.reply().join();
      if (reply instanceof PeerClient.Reply.Ok ok) {
        TopMerge.Part<TopResponse.Entry> part = remotePart(ok.body(), all, remote.instance());
        if (part != null) {
          parts.put(remote.instance(), part);
        }
      }
    }
    if (at.isEmpty()) {
      realign(view, by, limit, inbound, params, parts, deadline);
    }
    if (parts.values().stream().allMatch(part -> part.partitions().isEmpty())) {
      throw ApiProblems.unavailable(
          "no instance could rank any partition of view '" + view.name() + "' now",
          settings.retryAfterSeconds());
    }
    List<Integer> missing = TopMerge.missing(all, parts.values());
    TopMerge.Part<TopResponse.Entry> reference = leading(parts.values());
    List<TopResponse.Entry> merged =
        TopMerge.merge(parts.values(), metric(by), encodedKey(view), limit);
    return new Answer(
        response(
            view, by, limit, reference, merged, ServedBy.fresh(self.id(), ServedBy.SCATTER),
            missing),
        self.id(),
        ServedBy.SCATTER);
  }

  /** Asks the parts that ranked an older window than the latest one for the latest one. */
  private void realign(
      ViewDefinition view,
      TopMetric by,
      int limit,
      Inbound inbound,
      MultiValueMap<String, String> params,
      Map<Instance, TopMerge.Part<TopResponse.Entry>> parts,
      long deadline) {
    OptionalLong latest = TopMerge.latestEnd(parts.values());
    if (latest.isEmpty()) {
      return;
    }
    long reference = referenceInstant(view, leading(parts.values()));
    Instance self = cluster.self();
    Map<Instance, CompletableFuture<PeerClient.Reply>> again = new LinkedHashMap<>();
    parts.forEach(
        (instance, part) -> {
          if (!instance.equals(self) && TopMerge.behind(part, latest.getAsLong())) {
            again.put(
                instance,
                peers.get(instance, withAt(inbound, params, reference), inbound.authorization(),
                    left(deadline)));
          }
        });
    if (TopMerge.behind(parts.get(self), latest.getAsLong())) {
      parts.put(self, localPart(view, by, limit, OptionalLong.of(reference)));
    }
    Set<Integer> all = cluster.partitions(view.name());
    again.forEach(
        (instance, future) -> {
          PeerClient.Reply reply = future.join();
          TopMerge.Part<TopResponse.Entry> part =
              reply instanceof PeerClient.Reply.Ok ok ? remotePart(ok.body(), all, instance) : null;
          if (part == null) {
            parts.remove(instance); // its partitions become missing, not silently old
          } else {
            parts.put(instance, part);
          }
        });
  }

  /**
   * This instance's part: every partition whose active task runs here, ranked alike. Without
   * {@code at} each partition first ranks its own latest window; those behind the latest of them
   * rank that one again, as {@link #realign} does across instances.
   */
  private TopMerge.Part<TopResponse.Entry> localPart(
      ViewDefinition view, TopMetric by, int limit, OptionalLong at) {
    Set<Integer> mine =
        cluster.activePartitions(view.name()).getOrDefault(cluster.self(), Set.of());
    Map<Integer, TopMerge.Part<TopResponse.Entry>> ranked = new LinkedHashMap<>();
    for (int partition : mine) {
      rank(view, by, limit, at, partition).ifPresent(part -> ranked.put(partition, part));
    }
    TopMerge.Part<TopResponse.Entry> lead = leading(ranked.values());
    if (at.isEmpty() && lead != null) {
      OptionalLong reference = OptionalLong.of(referenceInstant(view, lead));
      for (Map.Entry<Integer, TopMerge.Part<TopResponse.Entry>> entry :
          List.copyOf(ranked.entrySet())) {
        if (TopMerge.behind(entry.getValue(), lead.windowEnd())) {
          int partition = entry.getKey();
          rank(view, by, limit, reference, partition)
              .ifPresentOrElse(
                  part -> ranked.put(partition, part), () -> ranked.remove(partition));
        }
      }
    }
    return new TopMerge.Part<>(
        lead == null ? null : lead.windowStart(),
        lead == null ? null : lead.windowEnd(),
        TopMerge.merge(ranked.values(), metric(by), encodedKey(view), limit),
        ranked.keySet());
  }

  /** One partition's ranking, empty when its store cannot be read now. */
  private Optional<TopMerge.Part<TopResponse.Entry>> rank(
      ViewDefinition view, TopMetric by, int limit, OptionalLong at, int partition) {
    QueryResult<TopWindow> result =
        queries.using(cluster.stores(partition, false)).top(view, by, limit, at);
    if (!(result instanceof QueryResult.Found<TopWindow> found)) {
      return Optional.empty();
    }
    TopWindow top = found.value();
    return Optional.of(
        new TopMerge.Part<>(
            top.windowStart(),
            top.windowEnd(),
            top.entries().stream().map(entry -> entry(view, entry)).toList(),
            Set.of(partition)));
  }

  private TopMerge.Part<TopResponse.Entry> remotePart(
      byte[] body, Set<Integer> all, Instance instance) {
    try {
      TopResponse response = Json.MAPPER.readValue(body, TopResponse.class);
      Set<Integer> answered = new HashSet<>(all);
      if (response.missingPartitions() != null) {
        answered.removeAll(response.missingPartitions());
      }
      return new TopMerge.Part<>(
          epochMillis(response.windowStart()),
          epochMillis(response.windowEnd()),
          response.entries() == null ? List.of() : response.entries(),
          answered);
    } catch (RuntimeException e) { // JacksonException, or a time that does not parse
      peers.failed("invalid", instance + " sent a top answer that does not parse: " + e);
      return null;
    }
  }

  private static Long epochMillis(String time) {
    return time == null ? null : Instant.parse(time).toEpochMilli();
  }

  /** The part with the latest window (null when none has a window). */
  private static <E> TopMerge.Part<E> leading(Iterable<TopMerge.Part<E>> parts) {
    TopMerge.Part<E> lead = null;
    for (TopMerge.Part<E> part : parts) {
      if (part.hasWindow() && (lead == null || part.windowEnd() > lead.windowEnd())) {
        lead = part;
      }
    }
    return lead;
  }

  private static boolean live(ViewDefinition view) {
    return view.window().type() == WindowType.SLIDING
        || view.window().type() == WindowType.SESSION;
  }

  /** The {@code at} that ranks the same window as the part. */
  private static long referenceInstant(ViewDefinition view, TopMerge.Part<?> part) {
    return live(view) ? part.windowEnd() : part.windowStart();
  }

  private static String withAt(Inbound inbound, MultiValueMap<String, String> params, long at) {
    MultiValueMap<String, String> query = new LinkedMultiValueMap<>(params);
    query.set(QueryApi.AT, Long.toString(at));
    return QueryPaths.withQuery(inbound.path(), query);
  }

  private static Duration left(long deadline) {
    return Duration.ofNanos(deadline - System.nanoTime());
  }

  private static TopResponse.Entry entry(ViewDefinition view, TopWindow.Entry entry) {
    WindowAggregate aggregate = entry.aggregate();
    return new TopResponse.Entry(
        0,
        Keys.keyOf(view, entry.key()),
        aggregate.count(),
        aggregate.valueCount(),
        aggregate.sum(),
        aggregate.min(),
        aggregate.max(),
        aggregate.mean(),
        Quantiles.of(aggregate).p99());
  }

  private static Function<TopResponse.Entry, Double> metric(TopMetric by) {
    return entry ->
        switch (by) {
          case COUNT -> (double) entry.count();
          case SUM -> entry.sum();
          case MAX -> entry.max();
          case P99 -> entry.p99();
        };
  }

  private static Function<TopResponse.Entry, String> encodedKey(ViewDefinition view) {
    return entry -> {
      List<String> values = new ArrayList<>();
      for (String field : view.groupBy()) {
        values.add(entry.key() == null ? null : entry.key().get(field));
      }
      return new GroupKey(values).encode();
    };
  }

  private static TopResponse response(
      ViewDefinition view,
      TopMetric by,
      int limit,
      TopMerge.Part<TopResponse.Entry> window,
      List<TopResponse.Entry> entries,
      ServedBy servedBy,
      List<Integer> missing) {
    List<TopResponse.Entry> ranked = new ArrayList<>();
    for (TopResponse.Entry entry : entries) {
      ranked.add(entry.withRank(ranked.size() + 1));
    }
    boolean hasWindow = window != null && window.hasWindow();
    return new TopResponse(
        view.name(),
        hasWindow ? Times.format(window.windowStart()) : null,
        hasWindow ? Times.format(window.windowEnd()) : null,
        by.apiName(),
        limit,
        ranked,
        servedBy,
        !missing.isEmpty(),
        missing);
  }
}
