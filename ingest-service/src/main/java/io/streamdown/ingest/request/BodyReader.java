package io.streamdown.ingest.request;

import java.io.IOException;

/**
 * Reads a request body into memory without ever holding more than the limit: the declared {@code
 * Content-Length} is checked before reading, and the bytes are counted while reading, which is what
 * bounds a chunked body.
 */
public final class BodyReader {

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
      // One byte more than allowed tells "exactly the limit" from "over the limit".
      bytes = body.stream().readNBytes(maxBytes + 1);
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

  private static PayloadTooLargeException tooLarge(int maxBytes) {
    return new PayloadTooLargeException(
        "the request body exceeds " + maxBytes + " bytes", "max-body-bytes", maxBytes);
  }
}
