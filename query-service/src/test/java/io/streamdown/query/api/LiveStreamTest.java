package io.streamdown.query.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

class LiveStreamTest {

  /** Records what would be written to the client. */
  private static final class Recording extends SseEmitter {
    final List<String> sent = new ArrayList<>();
    boolean completed;

    @Override
    public void send(SseEventBuilder builder) {
      StringBuilder text = new StringBuilder();
      builder.build().forEach(part -> text.append(part.getData()));
      sent.add(text.toString());
    }

    @Override
    public void complete() {
      completed = true;
    }
  }

  private final AtomicInteger closed = new AtomicInteger();

  private LiveStream stream(Recording emitter, int buffer, java.util.concurrent.Executor sender) {
    return new LiveStream(
        "v", "[\"a\"]", Map.of("k", "a"), false, null, emitter, buffer, sender,
        s -> closed.incrementAndGet());
  }

  @Test
  void eventsAreWrittenInOrderAndTheLatestStartIsRemembered() {
    Recording emitter = new Recording();
    LiveStream stream = stream(emitter, 4, Runnable::run);

    stream.window("{\"start\":\"b\"}", 20);
    stream.window("{\"start\":\"a\"}", 10);
    stream.removed("{\"start\":\"c\"}");

    assertThat(emitter.sent).hasSize(3);
    assertThat(emitter.sent.get(0)).contains("event:window").contains("{\"start\":\"b\"}");
    assertThat(emitter.sent.get(2)).contains("event:removed");
    assertThat(stream.lastStart).isEqualTo(20);
    assertThat(stream.closed()).isFalse();
  }

  @Test
  void aClientThatFallsABufferBehindIsDisconnectedOnce() {
    Recording emitter = new Recording();
    List<Runnable> neverRun = new ArrayList<>();
    LiveStream stream = stream(emitter, 2, neverRun::add);

    stream.window("{}", 1);
    stream.window("{}", 2);
    stream.window("{}", 3);
    stream.heartbeat();

    assertThat(stream.closed()).isTrue();
    assertThat(emitter.completed).isTrue();
    assertThat(emitter.sent).isEmpty();
    assertThat(closed).hasValue(1);
    stream.close();
    stream.forget();
    assertThat(closed).hasValue(1);
  }
}
