package io.streamdown.query.api;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.streamdown.query.cluster.Instance;
import io.streamdown.query.cluster.KeyPlacement;
import io.streamdown.query.cluster.PeerClient;
import io.streamdown.query.cluster.QueryCluster;
import io.streamdown.query.config.QuerySettings;
import io.streamdown.query.config.StreamSettings;
import io.streamdown.query.streams.QueryStoreListener;
import io.streamdown.schemas.Json;
import io.streamdown.schemas.WindowAggregate;
import jakarta.annotation.PreDestroy;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import tools.jackson.databind.JsonNode;

/**
 * The live streams of this instance ({@code GET /api/v1/views/{view}/stream}). The instance
 * holding a group's active task pushes each window its store writer writes; any other instance
 * relays the owner's stream (an instance-to-instance request marked {@value
 * PeerClient#FORWARDED}, with the caller's credentials). A watcher checks every
 * {@code resubscribe-delay} who owns each streamed group: when the owner changed, or a relay broke,
 * the stream follows the new owner and first re-reads the windows since the last one it sent, so
 * the client's stream stays open and misses nothing. A relayed stream whose group moved away
 * from here is ended, so the relaying instance looks for the new owner.
 */
@Component
class LiveStreams implements QueryStoreListener, SmartLifecycle {

  private static final Logger LOG = LoggerFactory.getLogger(LiveStreams.class);

  private final QueryCluster cluster;
  private final StreamSettings settings;
  private final QuerySettings querySettings;
  private final ObjectProvider<QueryApi> api;
  private final PeerClient peers;
  private final Set<LiveStream> streams = ConcurrentHashMap.newKeySet();
  private final Map<String, Set<LiveStream>> local = new ConcurrentHashMap<>();
  private final AtomicInteger open = new AtomicInteger();
  private final ScheduledExecutorService timer;
  private final ExecutorService sender;
  private final ExecutorService worker;
  private volatile boolean running;

  LiveStreams(
      QueryCluster cluster,
      StreamSettings settings,
      QuerySettings querySettings,
      PeerClient peers,
      ObjectProvider<QueryApi> api,
      MeterRegistry registry) {
    this.cluster = cluster;
    this.settings = settings;
    this.querySettings = querySettings;
    this.api = api;
    this.peers = peers;
    this.timer = Executors.newSingleThreadScheduledExecutor(daemon("live-stream-timer"));
    this.sender = Executors.newFixedThreadPool(2, daemon("live-stream-sender"));
    this.worker = Executors.newCachedThreadPool(daemon("live-stream-follow"));
    long heartbeat = settings.heartbeat().toMillis();
    timer.scheduleAtFixedRate(this::heartbeats, heartbeat, heartbeat, TimeUnit.MILLISECONDS);
    long check = settings.resubscribeDelay().toMillis();
    timer.scheduleWithFixedDelay(this::watchOwners, check, check, TimeUnit.MILLISECONDS);
    Gauge.builder("streamdown.query.streams.open", open, AtomicInteger::get)
        .description("Live (server-sent event) streams open on this instance")
        .register(registry);
  }

  /**
   * Opens a stream of the group's windows, or throws a 503 problem: too many streams open here,
   * or a relay asked this instance for a group it does not own (the relay looks again).
   */
  SseEmitter open(QueryApi.StreamRequest request, Inbound inbound) {
    String group = request.group().encode();
    Instance self = cluster.self();
    boolean ownedHere = self.equals(owner(request.view().name(), group));
    if (inbound.forwarded() && !ownedHere) {
      throw ApiProblems.unavailable(
          self + " does not hold the active task of this group now",
          querySettings.retryAfterSeconds());
    }
    if (!running) {
      throw ApiProblems.unavailable(
          self + " is shutting down", querySettings.retryAfterSeconds());
    }
    if (open.incrementAndGet() > settings.maxStreams()) {
      open.decrementAndGet();
      throw ApiProblems.unavailable(
          "this instance already serves " + settings.maxStreams() + " live streams",
          querySettings.retryAfterSeconds());
    }
    SseEmitter emitter = new SseEmitter(settings.timeout().toMillis());
    LiveStream stream =
        new LiveStream(
            request.view().name(),
            group,
            request.key(),
            inbound.forwarded(),
            inbound.authorization(),
            emitter,
            settings.buffer(),
            sender,
            this::closed);
    emitter.onCompletion(stream::forget);
    emitter.onTimeout(stream::forget);
    emitter.onError(error -> stream.forget());
    streams.add(stream);
    stream.heartbeat(); // sends the headers now, so the client knows the stream is open
    if (ownedHere) {
      goLocal(stream, self);
    } else {
      stream.switching = true;
      worker.execute(() -> follow(stream, false));
    }
    return emitter;
  }

  @Override
  public void stored(String view, long freshnessMillis) {}

  @Override
  public void skipped(String view, SkipReason reason) {}

  @Override
  public void windowChanged(
      String view, String encodedGroup, long windowStart, WindowAggregate aggregate) {
    Set<LiveStream> listeners = local.get(localKey(view, encodedGroup));
    if (listeners == null || listeners.isEmpty()) {
      return;
    }
    String json =
        aggregate == null
            ? Json.MAPPER.writeValueAsString(Map.of("start", Times.format(windowStart)))
            : Json.MAPPER.writeValueAsString(WindowEntry.of(aggregate));
    for (LiveStream stream : listeners) {
      if (aggregate == null) {
        stream.removed(json);
      } else {
        stream.window(json, windowStart);
      }
    }
  }

  private Instance owner(String view, String group) {
    return cluster.placement(view, group).map(KeyPlacement::active).orElse(null);
  }

  private void goLocal(LiveStream stream, Instance self) {
    stream.cancelRelay();
    stream.owner = self;
    stream.mode = LiveStream.Mode.LOCAL;
    local.computeIfAbsent(localKey(stream.view, stream.group), k -> ConcurrentHashMap.newKeySet())
        .add(stream);
  }

  private void leaveLocal(LiveStream stream) {
    Set<LiveStream> listeners = local.get(localKey(stream.view, stream.group));
    if (listeners != null) {
      listeners.remove(stream);
    }
  }

  /** Points the stream at the group's current owner, re-reading what it may have missed. */
  private void follow(LiveStream stream, boolean catchUp) {
    try {
      if (stream.closed()) {
        return;
      }
      Instance self = cluster.self();
      Instance owner = owner(stream.view, stream.group);
      leaveLocal(stream);
      stream.cancelRelay();
      if (owner == null) {
        stream.owner = null;
        stream.mode = LiveStream.Mode.WAITING; // the watcher tries again
        return;
      }
      // Subscribe first, then re-read: an update in between arrives twice, which is harmless
      // (a window event replaces the window of that start), rather than not at all.
      if (owner.equals(self)) {
        goLocal(stream, self);
      } else {
        relay(stream, owner);
      }
      if (catchUp && stream.lastStart != Long.MIN_VALUE) {
        catchUp(stream);
      }
    } catch (RuntimeException e) {
      LOG.debug("Could not follow the owner of a live stream", e);
      stream.mode = LiveStream.Mode.WAITING;
    } finally {
      stream.switching = false;
    }
  }

  private void relay(LiveStream stream, Instance owner) {
    stream.owner = owner;
    stream.mode = LiveStream.Mode.RELAY;
    long generation = stream.relayGeneration;
    String path =
        QueryPaths.withQuery(
            QueryPaths.view(stream.view, "stream"), MultiValueMap.fromSingleValue(stream.key));
    peers
        .stream(owner, path, stream.authorization, new RelayLines(stream, generation))
        .whenComplete(
            (response, error) -> {
              if (stream.relayGeneration == generation && !stream.closed()) {
                stream.owner = null;
                stream.mode = LiveStream.Mode.WAITING; // broke: the watcher resubscribes
              }
            });
  }

  private void catchUp(LiveStream stream) {
    MultiValueMap<String, String> params = new LinkedMultiValueMap<>();
    stream.key.forEach(params::add);
    params.add(QueryApi.FROM, Long.toString(stream.lastStart));
    String path = QueryPaths.withQuery(QueryPaths.view(stream.view, "windows"), params);
    try {
      Answer answer =
          api.getObject()
              .windows(stream.view, params, new Inbound(path, stream.authorization, false));
      JsonNode body = Json.MAPPER.valueToTree(answer.body());
      for (JsonNode window : body.get("windows")) {
        stream.window(
            Json.MAPPER.writeValueAsString(window),
            Instant.parse(window.get("start").asString()).toEpochMilli());
      }
    } catch (RuntimeException e) {
      // Nobody can answer now (503): the windows stay as sent; the next switch re-reads.
      LOG.debug("Could not re-read the windows of a live stream", e);
    }
  }

  private void watchOwners() {
    try {
      Instance self = cluster.self();
      for (LiveStream stream : streams) {
        if (stream.closed() || stream.switching) {
          continue;
        }
        Instance owner = owner(stream.view, stream.group);
        if (stream.forwarded) {
          if (!self.equals(owner)) {
            stream.close(); // the relaying instance looks for the new owner
          }
        } else if (stream.mode == LiveStream.Mode.WAITING || !Objects.equals(owner, stream.owner)) {
          stream.switching = true;
          worker.execute(() -> follow(stream, true));
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("Checking the owners of live streams failed", e);
    }
  }

  private void heartbeats() {
    streams.forEach(LiveStream::heartbeat);
  }

  private void closed(LiveStream stream) {
    streams.remove(stream);
    leaveLocal(stream);
    open.decrementAndGet();
  }

  @Override
  public void start() {
    running = true;
  }

  /**
   * Ends every stream before the web server shuts down gracefully (this phase stops first), so
   * the shutdown does not wait for streams that never end by themselves.
   */
  @Override
  public void stop() {
    running = false;
    streams.forEach(LiveStream::close);
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public int getPhase() {
    return SmartLifecycle.DEFAULT_PHASE;
  }

  @PreDestroy
  void shutDown() {
    timer.shutdownNow();
    streams.forEach(LiveStream::close);
    worker.shutdownNow();
    sender.shutdownNow();
  }

  private static String localKey(String view, String group) {
    return view + '\n' + group;
  }

  private static ThreadFactory daemon(String name) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  /** Reads the owner's event stream and queues its events on the client's stream. */
  private static final class RelayLines implements Flow.Subscriber<String> {

    private final LiveStream stream;
    private final long generation;
    private String event;
    private final StringBuilder data = new StringBuilder();

    RelayLines(LiveStream stream, long generation) {
      this.stream = stream;
      this.generation = generation;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      if (stream.relayGeneration != generation || stream.closed()) {
        subscription.cancel();
        return;
      }
      stream.relay = subscription;
      subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(String line) {
      if (stream.relayGeneration != generation) {
        return;
      }
      if (line.isEmpty()) {
        dispatch();
      } else if (line.startsWith("event:")) {
        event = line.substring(6).trim();
      } else if (line.startsWith("data:")) {
        if (!data.isEmpty()) {
          data.append('\n');
        }
        String value = line.substring(5);
        data.append(value.startsWith(" ") ? value.substring(1) : value);
      }
    }

    private void dispatch() {
      String text = data.toString();
      data.setLength(0);
      String name = event;
      event = null;
      if (text.isEmpty() || name == null) {
        return;
      }
      try {
        if (name.equals("window")) {
          long start = Instant.parse(Json.MAPPER.readTree(text).get("start").asString())
              .toEpochMilli();
          stream.window(text, start);
        } else if (name.equals("removed")) {
          stream.removed(text);
        }
      } catch (RuntimeException e) {
        LOG.debug("Skipping an event of an owner's stream that does not parse", e);
      }
    }

    @Override
    public void onError(Throwable throwable) {}

    @Override
    public void onComplete() {}
  }
}
