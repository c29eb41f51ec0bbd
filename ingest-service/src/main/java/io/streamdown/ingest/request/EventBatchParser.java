package io.streamdown.ingest.request;

import io.streamdown.ingest.config.IngestSettings;
import io.streamdown.schemas.Event;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.databind.JsonNode;

/**
 * Parses and validates the body of {@code POST /api/v1/events} completely before anything is
 * written: either every event is valid and the whole list comes back, or an exception says why the
 * request is refused.
 *
 * <p>Two passes. The first checks that the body is well-formed (else 400), counts the events
 * against the batch limit and measures each one against the event limit (else 413), and notes where
 * each event's JSON starts and ends. The second reads each event alone with duplicate detection on
 * and validates it, so the 422 lists the problems of every bad event, a duplicate key in one event
 * included. A valid event is read straight from the parser's tokens ({@link ValidEventReader});
 * one that is not is read again as a JSON tree by {@link EventValidator}, which names its
 * problems.
 */
public final class EventBatchParser {

  /** Problems listed per event; more only make the answer longer, not clearer. */
  static final int MAX_PROBLEMS_PER_EVENT = 10;

  private final RequestJson json;
  private final IngestSettings.Limits limits;
  private final EventValidator validator;
  private final ValidEventReader validEvents;

  public EventBatchParser(RequestJson json, IngestSettings.Limits limits) {
    this.json = json;
    this.limits = limits;
    this.validator = new EventValidator(limits.maxFutureSkew());
    this.validEvents = new ValidEventReader(limits.maxFutureSkew());
  }

  /**
   * Parses a body.
   *
   * @param format how the body is framed
   * @param body the whole body, not empty
   * @param ingestTime now, stamped on every event
   * @return the events, in request order
   * @throws MalformedBodyException when the body is not well-formed (400)
   * @throws PayloadTooLargeException when the batch or one event is too large (413)
   * @throws InvalidBodyException when any event does not fit the schema (422)
   */
  public List<Event> parse(BodyFormat format, byte[] body, long ingestTime) {
    List<Segment> segments = format == BodyFormat.NDJSON ? scanLines(body) : scanJson(body);
    List<Event> events = new ArrayList<>(segments.size());
    List<Violation> violations = new ArrayList<>();
    for (Segment segment : segments) {
      List<FieldProblem> problems = new ArrayList<>();
      Event event = read(segment, body, ingestTime, problems);
      if (event != null) {
        events.add(event);
      }
      addLimited(violations, problems, segment);
    }
    if (!violations.isEmpty()) {
      long bad = violations.stream().map(Violation::index).distinct().count();
      throw new InvalidBodyException(
          bad + " of " + segments.size() + " events are invalid; nothing was written",
          violations,
          segments.size());
    }
    return events;
  }

  private Event read(Segment segment, byte[] body, long ingestTime, List<FieldProblem> problems) {
    if (segment.problem() != null) {
      problems.add(new FieldProblem(null, segment.problem()));
      return null;
    }
    // Nearly every event is valid: read straight from the tokens, and through the JSON tree,
    // which names every problem, only if that fails.
    Event valid =
        validEvents.read(json.strict(), body, segment.offset(), segment.length(), ingestTime);
    if (valid != null) {
      return valid;
    }
    JsonNode node;
    try {
      node = json.strict().readTree(body, segment.offset(), segment.length());
    } catch (StreamConstraintsException e) {
      problems.add(new FieldProblem(null, limitMessage(e)));
      return null;
    } catch (JacksonException e) {
      if (RequestJson.isDuplicateKey(e)) {
        problems.add(
            new FieldProblem(
                RequestJson.propertyPath(e), "duplicate field; each field may appear once"));
        return null;
      }
      // The first pass skips string contents: invalid UTF-8 inside one shows up only here.
      throw segment.line() != null
          ? malformed(e, segment.line())
          : new MalformedBodyException(
              "malformed JSON in event " + segment.index() + ": " + RequestJson.shortMessage(e),
              null);
    }
    return validator.validate(node, ingestTime, problems);
  }

  private static void addLimited(
      List<Violation> violations, List<FieldProblem> problems, Segment segment) {
    for (int i = 0; i < problems.size() && i < MAX_PROBLEMS_PER_EVENT; i++) {
      violations.add(problems.get(i).at(segment.index(), segment.line()));
    }
    if (problems.size() > MAX_PROBLEMS_PER_EVENT) {
      violations.add(
          new FieldProblem(
                  null, (problems.size() - MAX_PROBLEMS_PER_EVENT) + " more problems not listed")
              .at(segment.index(), segment.line()));
    }
  }

  /** First pass over a JSON body: one object, or an array of objects. */
  private List<Segment> scanJson(byte[] body) {
    List<Segment> segments = new ArrayList<>();
    try (JsonParser parser = json.scanner().createParser(body)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        throw new MalformedBodyException("the request body is empty", null);
      }
      if (first == JsonToken.START_OBJECT) {
        parser.skipChildren();
        requireEnd(parser, null);
        checkEventSize(body.length, 0, null);
        segments.add(Segment.object(0, null, 0, body.length));
      } else if (first == JsonToken.START_ARRAY) {
        scanArray(parser, segments);
        requireEnd(parser, null);
        if (segments.isEmpty()) {
          throw new InvalidBodyException(
              "the array holds no events",
              List.of(Violation.ofRequest(null, "at least one event is required")),
              1);
        }
      } else {
        parser.skipChildren();
        requireEnd(parser, null);
        throw new InvalidBodyException(
            "the body must be a JSON object or an array of JSON objects",
            List.of(
                new Violation(0, null, null, "must be a JSON object or an array of JSON objects")),
            1);
      }
    } catch (StreamConstraintsException e) {
      // Past a parser limit the scan cannot resume: report the event it stopped in.
      int index = segments.size();
      throw new InvalidBodyException(
          "an event exceeds a parser limit; nothing was written",
          List.of(new Violation(index, null, null, limitMessage(e))),
          index + 1);
    } catch (JacksonException e) {
      throw malformed(e, null);
    }
    return segments;
  }

  private void scanArray(JsonParser parser, List<Segment> segments) {
    JsonToken token;
    while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
      if (token == null) {
        throw new MalformedBodyException("malformed JSON: the array is not closed", null);
      }
      int index = segments.size();
      checkBatchSize(index);
      if (token == JsonToken.START_OBJECT) {
        long start = parser.currentTokenLocation().getByteOffset();
        parser.skipChildren();
        long end = parser.currentLocation().getByteOffset();
        checkEventSize(end - start, index, null);
        segments.add(Segment.object(index, null, (int) start, (int) (end - start)));
      } else {
        parser.skipChildren();
        segments.add(Segment.invalid(index, null, "must be a JSON object"));
      }
    }
  }

  /** First pass over NDJSON: each non-blank line is one event. */
  private List<Segment> scanLines(byte[] body) {
    List<Segment> segments = new ArrayList<>();
    int lineStart = 0;
    int lineNumber = 0;
    while (lineStart <= body.length) {
      int newline = indexOf(body, (byte) '\n', lineStart);
      int lineEnd = newline < 0 ? body.length : newline;
      lineNumber++;
      int end = lineEnd;
      if (end > lineStart && body[end - 1] == '\r') {
        end--;
      }
      if (!isBlank(body, lineStart, end)) {
        scanLine(body, lineStart, end - lineStart, lineNumber, segments);
      }
      if (newline < 0) {
        break;
      }
      lineStart = newline + 1;
    }
    if (segments.isEmpty()) {
      throw new MalformedBodyException("the request body holds no events", null);
    }
    return segments;
  }

  private void scanLine(
      byte[] body, int offset, int length, int lineNumber, List<Segment> segments) {
    int index = segments.size();
    checkBatchSize(index);
    checkEventSize(length, index, lineNumber);
    try (JsonParser parser = json.scanner().createParser(body, offset, length)) {
      JsonToken first = parser.nextToken();
      parser.skipChildren();
      requireEnd(parser, lineNumber);
      segments.add(
          first == JsonToken.START_OBJECT
              ? Segment.object(index, lineNumber, offset, length)
              : Segment.invalid(index, lineNumber, "must be a JSON object"));
    } catch (StreamConstraintsException e) {
      // Lines are independent: note the problem and go on with the next line.
      segments.add(Segment.invalid(index, lineNumber, limitMessage(e)));
    } catch (JacksonException e) {
      throw malformed(e, lineNumber);
    }
  }

  private void checkBatchSize(int index) {
    if (index >= limits.maxBatchEvents()) {
      throw new PayloadTooLargeException(
          "the batch holds more than " + limits.maxBatchEvents() + " events",
          "max-batch-events",
          limits.maxBatchEvents());
    }
  }

  private void checkEventSize(long bytes, int index, Integer line) {
    if (bytes > limits.maxEventBytesInt()) {
      throw new PayloadTooLargeException(
          "event "
              + index
              + (line == null ? "" : " (line " + line + ")")
              + " is "
              + bytes
              + " bytes, more than "
              + limits.maxEventBytesInt(),
          "max-event-bytes",
          limits.maxEventBytesInt());
    }
  }

  /** Refuses a second value after the first: {@code {..} {..}} is not one JSON text. */
  private static void requireEnd(JsonParser parser, Integer line) {
    if (parser.nextToken() != null) {
      int column = parser.currentTokenLocation().getColumnNr();
      throw new MalformedBodyException(
          line == null
              ? "malformed JSON at line "
                  + parser.currentTokenLocation().getLineNr()
                  + ", column "
                  + column
                  + ": unexpected content after the JSON value"
              : "malformed JSON on line "
                  + line
                  + ", column "
                  + column
                  + ": unexpected content after the JSON value",
          line);
    }
  }

  private static MalformedBodyException malformed(JacksonException e, Integer line) {
    String position = RequestJson.position(e);
    String message =
        line == null
            ? "malformed JSON" + (position.isEmpty() ? "" : " at " + position)
            : "malformed JSON on line "
                + line
                + (e.getLocation() == null ? "" : ", column " + e.getLocation().getColumnNr());
    return new MalformedBodyException(message + ": " + RequestJson.shortMessage(e), line);
  }

  private static String limitMessage(StreamConstraintsException e) {
    return "exceeds a parser limit: " + RequestJson.shortMessage(e);
  }

  private static int indexOf(byte[] bytes, byte target, int from) {
    for (int i = from; i < bytes.length; i++) {
      if (bytes[i] == target) {
        return i;
      }
    }
    return -1;
  }

  private static boolean isBlank(byte[] bytes, int from, int to) {
    for (int i = from; i < to; i++) {
      byte b = bytes[i];
      if (b != ' ' && b != '\t' && b != '\r') {
        return false;
      }
    }
    return true;
  }

  /**
   * Where one event's JSON is in the body, or why it is not an event at all.
   *
   * @param index position among the events
   * @param line 1-based NDJSON line, null for JSON
   * @param offset start of its JSON in the body
   * @param length length of its JSON in bytes
   * @param problem why it cannot be read as an event, null when it is an object
   */
  private record Segment(int index, Integer line, int offset, int length, String problem) {

    static Segment object(int index, Integer line, int offset, int length) {
      return new Segment(index, line, offset, length, null);
    }

    static Segment invalid(int index, Integer line, String problem) {
      return new Segment(index, line, 0, 0, problem);
    }
  }
}
