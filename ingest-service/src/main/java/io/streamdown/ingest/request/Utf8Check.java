package io.streamdown.ingest.request;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Refuses request bodies that are not strict UTF-8 (RFC 8259 8.1) before any JSON parser reads
 * them. The parser alone is lenient in two ways that matter to hostile input: it decodes overlong
 * forms and code points past U+10FFFF, and it detects UTF-16 and UTF-32 by their zero bytes. A
 * strict decoder catches the first; a zero byte, which valid JSON text never holds raw, the second.
 */
final class Utf8Check {

  private Utf8Check() {}

  /**
   * @throws MalformedBodyException naming the offset of the first bad byte
   */
  static void requireValid(byte[] bytes) {
    boolean ascii = true;
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == 0) {
        throw new MalformedBodyException(
            "the request body holds a zero byte at offset " + i + "; JSON text must be UTF-8",
            null);
      }
      ascii &= bytes[i] > 0;
    }
    if (ascii) {
      // Bytes below 0x80 are UTF-8 as they are: most bodies need no decoder and no buffer.
      return;
    }
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    // A byte decodes to at most one char: a small body needs no 16 KiB buffer.
    CharBuffer out = CharBuffer.allocate(Math.min(bytes.length, 8192));
    while (true) {
      CoderResult result = decoder.decode(in, out, true);
      if (result.isError()) {
        throw new MalformedBodyException(
            "the request body is not valid UTF-8 at offset " + in.position(), null);
      }
      if (result.isUnderflow()) {
        break;
      }
      out.clear();
    }
    CoderResult flush = decoder.flush(out);
    if (flush.isError()) {
      throw new MalformedBodyException("the request body is not valid UTF-8 at its end", null);
    }
  }
}
