package io.streamdown.ingest.request;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
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
  void readsABodyOfItsDeclaredLength() {
    byte[] sent = bytes("{\"source\":\"dev-1\"}");

    byte[] body =
        BodyReader.read(
            new IncomingBody("application/json", sent.length, new ByteArrayInputStream(sent)),
            100);

    assertThat(body).isEqualTo(sent);
  }

  @Test
  void aBodyShorterThanDeclaredIsWhatArrived() {
    byte[] body =
        BodyReader.read(
            new IncomingBody("application/json", 50, new ByteArrayInputStream(bytes("{}"))), 100);

    assertThat(body).isEqualTo(bytes("{}"));
  }

  @Test
  void aBodyLongerThanDeclaredIsReadOnWithinTheLimit() {
    byte[] sent = bytes("[1,2,3,4,5]");

    byte[] body =
        BodyReader.read(new IncomingBody(null, 3, new ByteArrayInputStream(sent)), 100);

    assertThat(body).isEqualTo(sent);
    CountingStream endless = new CountingStream(1000);
    assertThatThrownBy(() -> BodyReader.read(new IncomingBody(null, 3, endless), 100))
        .isInstanceOf(PayloadTooLargeException.class);
    assertThat(endless.reads.get()).isLessThanOrEqualTo(102);
  }

  @Test
  void aLargeDeclaredBodyThatSendsLittleIsWhatArrived() {
    int declared = BodyReader.PRESIZED_MAX_BYTES * 4;

    byte[] body =
        BodyReader.read(
            new IncomingBody("application/json", declared, new ByteArrayInputStream(bytes("[]"))),
            declared);

    assertThat(body).isEqualTo(bytes("[]"));
  }

  @Test
  void nonAsciiUtf8PassesAndBrokenUtf8IsRefusedWithItsOffset() {
    // Longer than the decoder's largest buffer, with a surrogate pair across its boundaries.
    String text = "{\"name\":\"" + "caf\u00e9 \ud83d\ude00 ".repeat(1_500) + "\"}";
    byte[] valid = bytes(text);
    assertThat(
            BodyReader.read(
                new IncomingBody(null, valid.length, new ByteArrayInputStream(valid)), 1 << 20))
        .isEqualTo(valid);

    byte[][] broken = {
      {(byte) 0xC0, (byte) 0xAF}, // overlong '/'
      {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, // a surrogate
      {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, // past U+10FFFF
      {(byte) 0x80}, // a continuation byte alone
      {(byte) 0xE2, (byte) 0x82} // cut short at the end
    };
    for (byte[] bad : broken) {
      byte[] body = Arrays.copyOf(bytes("{\"a\":\""), 6 + bad.length);
      System.arraycopy(bad, 0, body, 6, bad.length);
      assertThatThrownBy(() -> Utf8Check.requireValid(body))
          .as("bytes %s", Arrays.toString(bad))
          .isInstanceOf(MalformedBodyException.class)
          .hasMessageContaining("not valid UTF-8");
    }
    assertThatThrownBy(() -> Utf8Check.requireValid(new byte[] {'{', (byte) 0xC3, (byte) 0x28}))
        .hasMessage("the request body is not valid UTF-8 at offset 1");
    assertThatThrownBy(() -> Utf8Check.requireValid(new byte[] {'{', '}', 0}))
        .hasMessageStartingWith("the request body holds a zero byte at offset 2");
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
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
