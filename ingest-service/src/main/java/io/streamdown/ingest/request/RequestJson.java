package io.streamdown.ingest.request;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.TokenStreamContext;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.json.JsonReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON readers of request bodies, strict where the topic mapper ({@code Json.MAPPER}) is
 * lenient. Two of them, because one duplicate key must not hide the other events' problems:
 *
 * <ul>
 *   <li>the scanner checks the structure of the whole body and finds where each event starts and
 *       ends, without duplicate detection (a duplicate would stop it mid-array);
 *   <li>the strict mapper then reads each event alone, with {@code STRICT_DUPLICATE_DETECTION}.
 * </ul>
 *
 * <p>Both accept the tokens {@code NaN} and {@code Infinity}: they are not JSON, but a producer
 * that writes them has a value problem, which deserves a 422 naming the field rather than a 400.
 * Stream read constraints are set deliberately: the defaults are sized for documents, not for
 * hostile request bodies.
 */
public final class RequestJson {

  /** Events are flat (event, attributes); anything deeper is rejected anyway. */
  static final int MAX_NESTING_DEPTH = 32;

  /** Longer than any valid event field, short enough to bound memory per token. */
  static final int MAX_STRING_LENGTH = 64 * 1024;

  /** A double needs about 25 characters; a longer number is no valid value. */
  static final int MAX_NUMBER_LENGTH = 100;

  /** Long enough to report a too-long attribute name as a 422, not a parser limit. */
  static final int MAX_NAME_LENGTH = 1024;

  /** How Jackson's {@code STRICT_DUPLICATE_DETECTION} starts its message. */
  private static final String DUPLICATE_MESSAGE = "Duplicate Object property";

  private final JsonMapper scanner;
  private final JsonMapper strict;

  /**
   * @param maxDocumentBytes the body limit, also the parser's document limit
   */
  public RequestJson(long maxDocumentBytes) {
    StreamReadConstraints constraints =
        StreamReadConstraints.builder()
            .maxNestingDepth(MAX_NESTING_DEPTH)
            .maxStringLength(MAX_STRING_LENGTH)
            .maxNumberLength(MAX_NUMBER_LENGTH)
            .maxNameLength(MAX_NAME_LENGTH)
            .maxDocumentLength(maxDocumentBytes)
            .build();
    this.scanner = mapper(factory(constraints, false));
    this.strict = mapper(factory(constraints, true));
  }

  private static JsonMapper mapper(JsonFactory factory) {
    return JsonMapper.builder(factory)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .build();
  }

  private static JsonFactory factory(StreamReadConstraints constraints, boolean strict) {
    return JsonFactory.builder()
        .streamReadConstraints(constraints)
        .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
        .configure(StreamReadFeature.STRICT_DUPLICATE_DETECTION, strict)
        .build();
  }

  /** Checks structure only; never reports duplicate keys. */
  JsonMapper scanner() {
    return scanner;
  }

  /** Reads one event or object; reports duplicate keys as a {@code StreamReadException}. */
  JsonMapper strict() {
    return strict;
  }

  /** Whether a strict read failed on a duplicate key (and not on broken JSON). */
  static boolean isDuplicateKey(JacksonException e) {
    String message = e.getOriginalMessage();
    return e instanceof StreamReadException
        && message != null
        && message.startsWith(DUPLICATE_MESSAGE);
  }

  /**
   * The parser's own message without its location and source description (which are either redacted
   * or internal), shortened for a problem detail.
   */
  static String shortMessage(JacksonException e) {
    String message = e.getOriginalMessage();
    if (message == null) {
      return "unreadable JSON";
    }
    int cut = message.indexOf(" (start marker at");
    if (cut > 0) {
      message = message.substring(0, cut);
    }
    cut = message.indexOf('\n');
    if (cut > 0) {
      message = message.substring(0, cut);
    }
    return message.length() > 200 ? message.substring(0, 200) + "..." : message;
  }

  /** Where the parser stopped, as {@code line L, column C}, or empty when unknown. */
  static String position(JacksonException e) {
    TokenStreamLocation location = e.getLocation();
    if (location == null || location.getLineNr() < 1) {
      return "";
    }
    return "line " + location.getLineNr() + ", column " + location.getColumnNr();
  }

  /**
   * The dotted path of the property a parser was reading when it failed, such as {@code
   * attributes.site}; null when it was not inside an object.
   */
  static String propertyPath(JacksonException e) {
    if (!(e.processor() instanceof JsonParser parser)) {
      return null;
    }
    StringBuilder path = new StringBuilder();
    for (TokenStreamContext context = parser.streamReadContext();
        context != null;
        context = context.getParent()) {
      String segment =
          context.inObject()
              ? context.currentName()
              : context.inArray() ? "[" + context.getCurrentIndex() + "]" : null;
      if (segment != null) {
        path.insert(0, path.length() == 0 ? segment : segment + ".");
      }
    }
    return path.length() == 0 ? null : path.toString();
  }
}
