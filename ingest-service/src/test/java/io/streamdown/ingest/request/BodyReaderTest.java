package io.streamdown.ingest.request;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.EnumSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BodyReaderTest {

  /** Counts what is read, to prove that a declared oversize body is refused unread. */
  private static final class CountingStream extends InputStream {
    private final AtomicInteger reads = new AtomicInteger();
    private final int size;

    CountingStream(int size) {
      this.size = size;
    }

    @Override
    public int read() {
      return reads.incrementAndGet() <= size ? 'x' : -1;
    }
  }

  @Test
  void refusesADeclaredOversizeBodyWithoutReadingIt() {
    CountingStream stream = new CountingStream(1000);

    assertThatThrownBy(
            () -> BodyReader.read(new IncomingBody("application/json", 101, stream), 100))
        .isInstanceOf(PayloadTooLargeException.class)
        .hasMessage("the request body exceeds 100 bytes");
    assertThat(stream.reads).hasValue(0);
  }

  @Test
  void countsTheBytesOfAChunkedBody() {
    CountingStream stream = new CountingStream(1000);

    assertThatThrownBy(() -> BodyReader.read(new IncomingBody("application/json", -1, stream), 100))
        .isInstanceOf(PayloadTooLargeException.class);
    assertThat(stream.reads.get()).isLessThanOrEqualTo(102);
  }

  @Test
  void readsABodyOfExactlyTheLimit() {
    byte[] body = BodyReader.read(new IncomingBody(null, -1, new CountingStream(100)), 100);

    assertThat(body).hasSize(100);
  }

  @Test
  void anEmptyBodyIsMalformed() {
    assertThatThrownBy(
            () ->
                BodyReader.read(
                    new IncomingBody("application/json", 0, new ByteArrayInputStream(new byte[0])),
                    100))
        .isInstanceOf(MalformedBodyException.class);
  }

  @Test
  void resolvesMediaTypesWithParameters() {
    assertThat(
            BodyFormat.resolve(
                "Application/X-NDJSON; charset=utf-8", EnumSet.allOf(BodyFormat.class)))
        .isEqualTo(BodyFormat.NDJSON);
    assertThatThrownBy(
            () -> BodyFormat.resolve("application/x-ndjson", EnumSet.of(BodyFormat.JSON)))
        .isInstanceOf(UnsupportedMediaTypeException.class);
    assertThatThrownBy(() -> BodyFormat.resolve("not a type", EnumSet.of(BodyFormat.JSON)))
        .isInstanceOf(UnsupportedMediaTypeException.class);
    assertThatThrownBy(
            () ->
                BodyFormat.resolve(
                    "application/json;charset=nonsense", EnumSet.of(BodyFormat.JSON)))
        .isInstanceOf(UnsupportedMediaTypeException.class);
  }
}
