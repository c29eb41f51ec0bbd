package io.streamdown.ingest.request;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Reads a request body into memory without ever holding more than the limit: the declared {@code
 * Content-Length} is checked before reading, and the bytes are counted while reading, which is what
 * bounds a chunked body.
 */
public final class BodyReader {

  /**
   * Bodies declared this long at most are read into an array of their declared size at once.
   * Longer ones grow as their bytes arrive, so that a client declaring megabytes and sending
   * nothing holds no more memory than it sent, for as long as the connection timeout lets it.
   */
  static final int PRESIZED_MAX_BYTES = 64 * 1024;

  private BodyReader() {}

  /**
   * Reads the whole body and checks that it is strict UTF-8.
   *
   * @throws PayloadTooLargeException when the body is larger than {@code maxBytes}
   * @throws MalformedBodyException when the body cannot be read, is empty or is not UTF-8
   */
  public static byte[] read(IncomingBody body, int maxBytes) {
    if (body.contentLength() > maxBytes) {
      throw tooLarge(maxBytes);
    }
    byte[] bytes;
    try {
      bytes =
          body.contentLength() >= 0 && body.contentLength() <= PRESIZED_MAX_BYTES
              ? readDeclared(body.stream(), (int) body.contentLength(), maxBytes)
              // One byte more than allowed tells "exactly the limit" from "over the limit".
              : body.stream().readNBytes(maxBytes + 1);
    } catch (IOException e) {
      throw new MalformedBodyException("the request body could not be read", null);
    }
    if (bytes.length > maxBytes) {
      throw tooLarge(maxBytes);
    }
    if (bytes.length == 0) {
      throw new MalformedBodyException("the request body is empty", null);
    }
    Utf8Check.requireValid(bytes);
    return bytes;
  }

  /**
   * Reads a body of a declared length (at most {@link #PRESIZED_MAX_BYTES}) into an array of that
   * size: reading it in the stream's default chunks allocated 8 KiB per request, however small the
   * body, a good part of what a one-event POST allocated. A shorter body is returned as it is; a
   * longer one (a container cuts the body at its declared length, a wrapper might not) is read on
   * within the limit, as a chunked one is.
   */
  private static byte[] readDeclared(InputStream in, int declared, int maxBytes)
      throws IOException {
    byte[] bytes = new byte[declared];
    int read = in.readNBytes(bytes, 0, declared);
    if (read < declared) {
      return Arrays.copyOf(bytes, read);
    }
    int next = in.read();
    if (next < 0) {
      return bytes;
    }
    byte[] rest = in.readNBytes(maxBytes - declared);
    return ByteBuffer.allocate(declared + 1 + rest.length)
        .put(bytes)
        .put((byte) next)
        .put(rest)
        .array();
  }

  private static PayloadTooLargeException tooLarge(int maxBytes) {
    return new PayloadTooLargeException(
        "the request body exceeds " + maxBytes + " bytes", "max-body-bytes", maxBytes);
  }
}
