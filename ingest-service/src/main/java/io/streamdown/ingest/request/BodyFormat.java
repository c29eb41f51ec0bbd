package io.streamdown.ingest.request;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.springframework.util.InvalidMimeTypeException;
import org.springframework.util.MimeType;

/** The body formats the service reads, chosen by {@code Content-Type}. */
public enum BodyFormat {
  /** One JSON object, or a JSON array of objects. */
  JSON("application/json"),
  /** Newline-delimited JSON: one object per line, blank lines ignored. */
  NDJSON("application/x-ndjson");

  private final String mediaType;

  BodyFormat(String mediaType) {
    this.mediaType = mediaType;
  }

  public String mediaType() {
    return mediaType;
  }

  /**
   * The format of a {@code Content-Type} among the accepted ones. JSON text is UTF-8 (RFC 8259), so
   * a {@code charset} parameter other than UTF-8 is refused rather than misread.
   *
   * @throws UnsupportedMediaTypeException when the type is missing, unparsable or not accepted
   */
  public static BodyFormat resolve(String contentType, Set<BodyFormat> accepted) {
    List<String> supported = accepted.stream().sorted().map(BodyFormat::mediaType).toList();
    if (contentType == null || contentType.isBlank()) {
      throw new UnsupportedMediaTypeException(
          "Content-Type is missing; supported: " + String.join(", ", supported), supported);
    }
    MimeType mimeType;
    try {
      mimeType = MimeType.valueOf(contentType);
    } catch (InvalidMimeTypeException e) {
      throw new UnsupportedMediaTypeException(
          "Content-Type is not a media type; supported: " + String.join(", ", supported),
          supported);
    }
    String essence = (mimeType.getType() + "/" + mimeType.getSubtype()).toLowerCase(Locale.ROOT);
    for (BodyFormat format : accepted) {
      if (format.mediaType.equals(essence)) {
        Charset charset = charsetOrNull(mimeType);
        if (charset != null && !StandardCharsets.UTF_8.equals(charset)) {
          throw new UnsupportedMediaTypeException(
              "only UTF-8 is supported, not charset " + mimeType.getParameter("charset"),
              supported);
        }
        return format;
      }
    }
    throw new UnsupportedMediaTypeException(
        "Content-Type " + essence + " is not supported; supported: " + String.join(", ", supported),
        supported);
  }

  private static Charset charsetOrNull(MimeType mimeType) {
    try {
      return mimeType.getCharset();
    } catch (IllegalArgumentException e) {
      // An unknown charset name is certainly not UTF-8.
      return StandardCharsets.US_ASCII;
    }
  }
}
