package io.streamdown.query.api;

import io.streamdown.query.cluster.Instance;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * One client's stream of a group's windows. Events wait in a bounded queue and are written by a
 * sender thread, so neither a stream thread nor a relay waits for a slow client; a client that
 * falls {@code buffer} events behind is disconnected (it reconnects and reads the windows).
 *
 * <p>The stream is fed either here, by the store writer (this instance holds the group's
 * active task), or by a relay of the owner's stream. {@code lastStart} is the latest window start
 * sent, from which a switch of owner re-reads the windows so none is missed.
 */
final class LiveStream {

  /** Where the stream's events come from now. */
  enum Mode {
    LOCAL,
    RELAY,
    WAITING
  }

  final String view;
  final String group;
  final Map<String, String> key;
  final boolean forwarded;
  final String authorization;
  final SseEmitter emitter;
  private final BlockingQueue<SseEmitter.SseEventBuilder> queue;
  private final Executor sender;
  private final AtomicBoolean draining = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Consumer<LiveStream> onClose;

  volatile Mode mode = Mode.WAITING;
  volatile Instance owner;
  volatile Flow.Subscription relay;
  volatile long relayGeneration;
  volatile long lastStart = Long.MIN_VALUE;
  volatile boolean switching;

  LiveStream(
      String view,
      String group,
      Map<String, String> key,
      boolean forwarded,
      String authorization,
      SseEmitter emitter,
      int buffer,
      Executor sender,
      Consumer<LiveStream> onClose) {
    this.view = view;
    this.group = group;
    this.key = key;
    this.forwarded = forwarded;
    this.authorization = authorization;
    this.emitter = emitter;
    this.queue = new ArrayBlockingQueue<>(buffer);
    this.sender = sender;
    this.onClose = onClose;
  }

  /** Queues a window event (JSON text of one window entry). */
  void window(String json, long start) {
    if (start > lastStart) {
      lastStart = start;
    }
    offer(SseEmitter.event().name("window").data(json));
  }

  void removed(String json) {
    offer(SseEmitter.event().name("removed").data(json));
  }

  void heartbeat() {
    offer(SseEmitter.event().comment("heartbeat"));
  }

  boolean closed() {
    return closed.get();
  }

  private void offer(SseEmitter.SseEventBuilder event) {
    if (closed.get()) {
      return;
    }
    if (!queue.offer(event)) {
      // Too slow to keep up: end the stream rather than buffer without bound.
      close();
      return;
    }
    if (draining.compareAndSet(false, true)) {
      sender.execute(this::drain);
    }
  }

  private void drain() {
    try {
      SseEmitter.SseEventBuilder event;
      while (!closed.get() && (event = queue.poll()) != null) {
        try {
          emitter.send(event);
        } catch (IOException | IllegalStateException e) {
          close();
          return;
        }
      }
    } finally {
      draining.set(false);
    }
    if (!queue.isEmpty() && !closed.get() && draining.compareAndSet(false, true)) {
      sender.execute(this::drain);
    }
  }

  /** Ends the stream (idempotent): the client sees the end and may reconnect. */
  void close() {
    if (closed.compareAndSet(false, true)) {
      queue.clear();
      cancelRelay();
      try {
        emitter.complete();
      } catch (RuntimeException e) {
        // the response is gone already
      }
      onClose.accept(this);
    }
  }

  /** Forgets this stream without touching the response (it has completed or failed). */
  void forget() {
    if (closed.compareAndSet(false, true)) {
      queue.clear();
      cancelRelay();
      onClose.accept(this);
    }
  }

  void cancelRelay() {
    relayGeneration++;
    Flow.Subscription subscription = relay;
    relay = null;
    if (subscription != null) {
      subscription.cancel();
    }
  }
}
