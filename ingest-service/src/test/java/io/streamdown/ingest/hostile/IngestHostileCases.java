package io.streamdown.ingest.hostile;

import io.streamdown.web.testing.HostileCase;
import io.streamdown.web.testing.HttpRequestSpec;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The hostile requests of the ingest API, each with the status it must get. Limits are those of
 * {@link HostileRequestsIT}: 256 KB per body, 100 events per batch, 96 KB per event.
 */
final class IngestHostileCases {

  static final String INGEST_TOKEN = "hostile-ingest-token";
  static final String REFERENCE_TOKEN = "hostile-reference-token";
  static final String QUERY_TOKEN = "hostile-query-token";

  static final int MAX_BODY_BYTES = 256 * 1024;
  static final int MAX_BATCH_EVENTS = 100;
  static final int MAX_EVENT_BYTES = 96 * 1024;

  private static final String EVENTS = "/api/v1/events";
  private static final String JSON = "Content-Type: application/json";
  private static final String NDJSON = "Content-Type: application/x-ndjson";
  private static final String GOOD = "{\"source\":\"s-1\",\"type\":\"temp\",\"value\":1.5}";

  private final List<HostileCase> cases = new ArrayList<>();

  private IngestHostileCases() {}

  static List<HostileCase> all() {
    IngestHostileCases table = new IngestHostileCases();
    table.malformedJson();
    table.truncated();
    table.wrongTypes();
    table.nonFiniteAndHugeNumbers();
    table.nesting();
    table.longStringsAndManyAttributes();
    table.invalidUtf8();
    table.duplicateAndUnknownFields();
    table.contentTypes();
    table.oversized();
    table.ndjson();
    table.badTimes();
    table.reference();
    table.pathsAndMethods();
    table.headerAbuse();
    table.unauthorized();
    return List.copyOf(table.cases);
  }

  // --- helpers

  private static HttpRequestSpec postEvents(String contentTypeHeader, byte[] body) {
    HttpRequestSpec spec =
        HttpRequestSpec.of("POST", EVENTS).header("Authorization: Bearer " + INGEST_TOKEN);
    if (contentTypeHeader != null) {
      spec.header(contentTypeHeader);
    }
    return spec.body(body);
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private void add(String name, HttpRequestSpec request, int status) {
    cases.add(new HostileCase(name, request, status));
  }

  private void json(String name, String body, int status) {
    add(name, postEvents(JSON, utf8(body)), status);
  }

  private void jsonBytes(String name, byte[] body, int status) {
    add(name, postEvents(JSON, body), status);
  }

  /** An event with one field's JSON text replaced (or added). */
  private static String eventWith(String field, String jsonValue) {
    StringBuilder event = new StringBuilder("{");
    boolean replaced = false;
    for (String[] pair :
        new String[][] {{"source", "\"s-1\""}, {"type", "\"temp\""}, {"value", "1.5"}}) {
      if (pair[0].equals(field)) {
        replaced = true;
        if (jsonValue != null) {
          event.append('"').append(pair[0]).append("\":").append(jsonValue).append(',');
        }
      } else {
        event.append('"').append(pair[0]).append("\":").append(pair[1]).append(',');
      }
    }
    if (!replaced) {
      event.append('"').append(field).append("\":").append(jsonValue).append(',');
    }
    event.setLength(event.length() - 1);
    return event.append('}').toString();
  }

  private static String repeat(String text, int times) {
    return text.repeat(times);
  }

  // --- the table

  private void malformedJson() {
    String[][] bodies = {
      {"lone open brace", "{"},
      {"lone close brace", "}"},
      {"lone open bracket", "["},
      {"lone close bracket", "]"},
      {"missing value", "{\"source\":}"},
      {"missing colon", "{\"source\" \"s\"}"},
      {"trailing comma in object", "{\"source\":\"s\",\"type\":\"t\",}"},
      {"trailing comma in array", "[" + GOOD + ",]"},
      {"leading comma in array", "[," + GOOD + "]"},
      {"single quotes", "{'source':'s','type':'t'}"},
      {"unquoted names", "{source:\"s\",type:\"t\"}"},
      {"bare word", "hello"},
      {"misspelled null", "nul"},
      {"misspelled true", "tru"},
      {"two objects without array", GOOD + GOOD},
      {"object then garbage", GOOD + " x"},
      {"array then garbage", "[" + GOOD + "] ]"},
      {"number with dangling exponent", eventWith("value", "1e")},
      {"number with leading zeros", eventWith("value", "012")},
      {"number starting with a dot", eventWith("value", ".5")},
      {"number with a plus sign", eventWith("value", "+1")},
      {"hexadecimal number", eventWith("value", "0x10")},
      {"unterminated string", "{\"source\":\"s,\"type\":\"t\"}"},
      {"bad escape", eventWith("type", "\"t\\x\"")},
      {"short unicode escape", eventWith("type", "\"t\\u12\"")},
      {"raw control character in a string", eventWith("type", "\"t\u0001x\"")},
      {"raw newline in a string", eventWith("type", "\"t\nx\"")},
      {"block comment", "/* hi */" + GOOD},
      {"line comment", "// hi\n" + GOOD},
      {"whitespace only", "   \n\t  "},
      {"array of arrays", "[[" + GOOD + "]]"},
      {"array of numbers", "[1,2,3]"},
      {"array of strings", "[\"a\",\"b\"]"},
      {"mixed array", "[" + GOOD + ",1]"},
      {"top-level string", "\"event\""},
      {"top-level number", "42"},
      {"top-level null", "null"},
      {"top-level true", "true"},
      {"empty array", "[]"},
      {"byte order mark then garbage", "\uFEFF}"},
    };
    for (String[] body : bodies) {
      json("malformed JSON: " + body[0], body[1], expectedMalformed(body[0]));
    }
  }

  /** A few structurally valid bodies hold no event object: those are invalid, not malformed. */
  private static int expectedMalformed(String name) {
    return switch (name) {
      case "array of numbers",
              "array of strings",
              "mixed array",
              "top-level string",
              "top-level number",
              "top-level null",
              "top-level true",
              "array of arrays",
              "empty array" ->
          422;
      default -> 400;
    };
  }

  private void truncated() {
    String batch =
        "[{\"eventId\":\"t-1\",\"source\":\"s-1\",\"type\":\"temp\",\"time\":\"2025-03-01T10:00:00Z\","
            + "\"value\":1.5,\"attributes\":{\"unit\":\"C\",\"ok\":true}},"
            + "{\"source\":\"s-2\",\"type\":\"temp\",\"value\":-2e3}]";
    IntStream.range(0, 25)
        .map(i -> 1 + i * (batch.length() - 2) / 24)
        .distinct()
        .forEach(
            cut ->
                json(
                    "truncated JSON batch at byte " + cut + " of " + batch.length(),
                    batch.substring(0, cut),
                    400));
  }

  private void wrongTypes() {
    String[][] fields = {
      {"source", "42"},
      {"source", "true"},
      {"source", "{\"a\":1}"},
      {"source", "[\"s\"]"},
      {"source", "null"},
      {"source", "\"\""},
      {"source", "\"   \""},
      {"type", "7"},
      {"type", "null"},
      {"type", "\"\""},
      {"type", "[]"},
      {"value", "\"hot\""},
      {"value", "\"1.5\""},
      {"value", "true"},
      {"value", "{}"},
      {"value", "[1]"},
      {"eventId", "1"},
      {"eventId", "\"\""},
      {"eventId", "{}"},
      {"time", "true"},
      {"time", "{}"},
      {"time", "[2025]"},
      {"attributes", "[]"},
      {"attributes", "\"a=b\""},
      {"attributes", "1"},
      {"attributes", "{\"a\":{\"b\":1}}"},
      {"attributes", "{\"a\":[1,2]}"},
      {"attributes", "{\"a\":null}"},
      {"attributes", "{\"\":1}"},
    };
    for (String[] field : fields) {
      json("wrong type: " + field[0] + " = " + field[1], eventWith(field[0], field[1]), 422);
    }
    json("missing source", eventWith("source", null), 422);
    json("missing type", eventWith("type", null), 422);
    json("empty object", "{}", 422);
    json(
        "one bad event among good ones", "[" + GOOD + "," + eventWith("value", "\"x\"") + "]", 422);
  }

  private void nonFiniteAndHugeNumbers() {
    json("NaN value", eventWith("value", "NaN"), 422);
    json("Infinity value", eventWith("value", "Infinity"), 422);
    json("-Infinity value", eventWith("value", "-Infinity"), 422);
    json("NaN attribute", eventWith("attributes", "{\"x\":NaN}"), 422);
    json("Infinity attribute", eventWith("attributes", "{\"x\":Infinity}"), 422);
    json("value overflowing a double", eventWith("value", "1e400"), 422);
    json("value underflowing to -Infinity", eventWith("value", "-1e400"), 422);
    json("value with 150 digits", eventWith("value", repeat("9", 150)), 422);
    json("value with 150 decimals", eventWith("value", "0." + repeat("1", 150)), 422);
    json("time beyond any date", eventWith("time", repeat("9", 30)), 422);
    json("time as huge negative", eventWith("time", "-" + repeat("9", 30)), 422);
    json("time before the epoch", eventWith("time", "-1"), 422);
    json("time far in the future", eventWith("time", "253402300799999"), 422);
    json("time with fraction", eventWith("time", "1.5e300"), 422);
    json(
        "attribute with 150 digits",
        eventWith("attributes", "{\"n\":" + repeat("1", 150) + "}"),
        422);
  }

  private void nesting() {
    json("array nested 40 deep", repeat("[", 40) + repeat("]", 40), 422);
    json("array nested 5000 deep, unclosed", repeat("[", 5000), 422);
    json(
        "object nested 40 deep in attributes",
        eventWith("attributes", repeat("{\"a\":", 40) + "1" + repeat("}", 40)),
        422);
    json(
        "object nested 3 deep in attributes",
        eventWith("attributes", "{\"a\":{\"b\":{\"c\":1}}}"),
        422);
    json("array nested in value", eventWith("value", repeat("[", 40) + repeat("]", 40)), 422);
  }

  private void longStringsAndManyAttributes() {
    json("source of 257 characters", eventWith("source", "\"" + repeat("s", 257) + "\""), 422);
    json("source of 70000 characters", eventWith("source", "\"" + repeat("s", 70_000) + "\""), 422);
    json("type of 129 characters", eventWith("type", "\"" + repeat("t", 129) + "\""), 422);
    json("eventId of 129 characters", eventWith("eventId", "\"" + repeat("e", 129) + "\""), 422);
    json(
        "attribute value of 1025 characters",
        eventWith("attributes", "{\"a\":\"" + repeat("v", 1025) + "\"}"),
        422);
    json(
        "attribute name of 129 characters",
        eventWith("attributes", "{\"" + repeat("n", 129) + "\":1}"),
        422);
    json(
        "attribute name of 5000 characters",
        eventWith("attributes", "{\"" + repeat("n", 5000) + "\":1}"),
        422);
    json(
        "field name of 5000 characters",
        "{\"" + repeat("f", 5000) + "\":1,\"source\":\"s\",\"type\":\"t\"}",
        422);
    for (int count : new int[] {65, 100, 1000}) {
      String attributes =
          IntStream.range(0, count).mapToObj(i -> "\"a" + i + "\":" + i).collect(joining());
      json(count + " attributes", eventWith("attributes", "{" + attributes + "}"), 422);
    }
  }

  private static java.util.stream.Collector<CharSequence, ?, String> joining() {
    return Collectors.joining(",");
  }

  private void invalidUtf8() {
    byte[][] sequences = {
      {(byte) 0xC3, 0x28},
      {(byte) 0xFF},
      {(byte) 0xFE},
      {(byte) 0xC0, (byte) 0xAF},
      {(byte) 0xE0, (byte) 0x80, (byte) 0xAF},
      {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
      {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
      {(byte) 0x80},
      {(byte) 0xE2, (byte) 0x82},
    };
    for (byte[] sequence : sequences) {
      String hex = hex(sequence);
      jsonBytes(
          "invalid UTF-8 " + hex + " in a string",
          bytesAround("{\"source\":\"s", sequence, "\",\"type\":\"t\",\"value\":1}"),
          400);
    }
    jsonBytes(
        "invalid UTF-8 in a field name",
        bytesAround("{\"sou", new byte[] {(byte) 0xFF}, "rce\":\"s\",\"type\":\"t\"}"),
        400);
    jsonBytes(
        "invalid UTF-8 outside strings",
        bytesAround("{\"source\":\"s\",", new byte[] {(byte) 0xC3, 0x28}, "\"type\":\"t\"}"),
        400);
    jsonBytes(
        "UTF-16 body",
        "{\"source\":\"s\",\"type\":\"t\"}".getBytes(StandardCharsets.UTF_16LE),
        400);
    jsonBytes("NUL bytes", new byte[] {0, 0, 0, 0}, 400);
  }

  private static String hex(byte[] bytes) {
    StringBuilder text = new StringBuilder();
    for (byte b : bytes) {
      text.append(String.format("%02X", b));
    }
    return text.toString();
  }

  private static byte[] bytesAround(String before, byte[] middle, String after) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(utf8(before));
    out.writeBytes(middle);
    out.writeBytes(utf8(after));
    return out.toByteArray();
  }

  private void duplicateAndUnknownFields() {
    json("duplicate source", "{\"source\":\"a\",\"source\":\"b\",\"type\":\"t\"}", 422);
    json("duplicate value", "{\"source\":\"a\",\"type\":\"t\",\"value\":1,\"value\":2}", 422);
    json("duplicate attribute", eventWith("attributes", "{\"a\":1,\"a\":2}"), 422);
    json(
        "duplicate attributes object",
        "{\"source\":\"a\",\"type\":\"t\",\"attributes\":{},\"attributes\":{}}",
        422);
    for (String name :
        new String[] {
          "colour", "Source", "event_id", "__proto__", "constructor", "@type", "$ref", "class"
        }) {
      json("unknown field " + name, eventWith(name, "\"x\""), 422);
    }
  }

  private void contentTypes() {
    byte[] good = utf8(GOOD);
    add("no Content-Type", postEvents(null, good), 415);
    String[] types = {
      "text/plain",
      "application/xml",
      "text/json",
      "application/json-patch+json",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=x",
      "application/octet-stream",
      "*/*",
      "application",
      "application/",
      "garbage",
      ";;;",
      "application/json; charset=latin1",
      "application/json; charset=utf-16",
      "application/json; charset=no-such-charset",
      "application/x-ndjson; charset=iso-8859-1",
      "",
    };
    for (String type : types) {
      add("Content-Type '" + type + "'", postEvents("Content-Type: " + type, good), 415);
    }
  }

  private void oversized() {
    String big =
        "{\"source\":\"s\",\"type\":\"t\",\"attributes\":{\"a\":\"" + repeat("x", 1000) + "\"}}";
    StringBuilder body = new StringBuilder("[");
    while (body.length() < MAX_BODY_BYTES + 10) {
      body.append(big).append(',');
    }
    body.setLength(body.length() - 1);
    body.append(']');
    json("body over the byte limit", body.toString(), 413);
    add(
        "Content-Length declaring a body over the limit",
        postEvents(JSON, null)
            .withoutContentLength()
            .header("Content-Length: " + (MAX_BODY_BYTES + 1))
            .body(utf8(GOOD)),
        413);
    add(
        "chunked body over the limit",
        postEvents(JSON, null)
            .withoutContentLength()
            .header("Transfer-Encoding: chunked")
            .body(chunked(utf8(body.toString()))),
        413);
    String batch = IntStream.range(0, MAX_BATCH_EVENTS + 1).mapToObj(i -> GOOD).collect(joining());
    json("batch of one event too many", "[" + batch + "]", 413);
    add(
        "NDJSON batch of one event too many",
        postEvents(NDJSON, utf8(batch.replace("},{", "}\n{"))),
        413);
    String huge =
        "{\"source\":\"s\",\"type\":\"t\",\"attributes\":{"
            + IntStream.range(0, 60)
                .mapToObj(i -> "\"a" + i + "\":\"" + repeat("y", 1700) + "\"")
                .collect(joining())
            + "}}";
    json("one event over the event limit", huge, 413);
    json("event over the limit inside a batch", "[" + GOOD + "," + huge + "]", 413);
  }

  private static byte[] chunked(byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int offset = 0; offset < body.length; offset += 8192) {
      int length = Math.min(8192, body.length - offset);
      out.writeBytes(utf8(Integer.toHexString(length) + "\r\n"));
      out.write(body, offset, length);
      out.writeBytes(utf8("\r\n"));
    }
    out.writeBytes(utf8("0\r\n\r\n"));
    return out.toByteArray();
  }

  private void ndjson() {
    UnaryOperator<String> post = body -> body;
    String[][] bodies = {
      {"malformed last line", GOOD + "\n" + GOOD + "\n{\"source\":", "400"},
      {"malformed first line", "{oops\n" + GOOD, "400"},
      {"invalid middle line", GOOD + "\n" + eventWith("value", "\"x\"") + "\n" + GOOD, "422"},
      {"array on a line", GOOD + "\n[" + GOOD + "]", "422"},
      {"number on a line", GOOD + "\n42", "422"},
      {"two objects on one line", GOOD + GOOD, "400"},
      {"only blank lines", "\n\n\n", "400"},
      {"object split across lines", "{\"source\":\"s\",\n\"type\":\"t\"}", "400"},
      {"unknown field on a line", GOOD + "\n" + eventWith("colour", "\"red\""), "422"},
      {"NaN on a line", GOOD + "\n" + eventWith("value", "NaN"), "422"},
    };
    for (String[] body : bodies) {
      add(
          "NDJSON " + body[0],
          postEvents(NDJSON, utf8(post.apply(body[1]))),
          Integer.parseInt(body[2]));
    }
    add(
        "NDJSON with invalid UTF-8 on a line",
        postEvents(
            NDJSON,
            bytesAround(GOOD + "\n{\"source\":\"", new byte[] {(byte) 0xFF}, "\",\"type\":\"t\"}")),
        400);
  }

  private void badTimes() {
    String[] times = {
      "\"yesterday\"",
      "\"2025-13-01T00:00:00Z\"",
      "\"2025-02-30T00:00:00Z\"",
      "\"2025-03-01T25:00:00Z\"",
      "\"2025-03-01T10:00:00\"",
      "\"2025-03-01\"",
      "\"10:00:00Z\"",
      "\"2025-03-01 10:00:00Z\"",
      "\"01/03/2025\"",
      "\"\"",
      "\"1740823200000x\"",
      "\"+1000000-01-01T00:00:00Z\"",
      "\"2025-03-01T10:00:00+25:00\"",
      "\"9999-12-31T23:59:59Z\"",
      "\"1969-12-31T23:59:59Z\"",
      "\"${jndi:ldap://x/a}\"",
    };
    for (String time : times) {
      json("bad time " + time, eventWith("time", time), 422);
    }
  }

  private void reference() {
    String okBody = "{\"region\":\"eu\"}";
    Object[][] rows = {
      {"PUT", "/api/v1/reference/s-1", JSON, "[1,2]", 422},
      {"PUT", "/api/v1/reference/s-1", JSON, "\"region\"", 422},
      {"PUT", "/api/v1/reference/s-1", JSON, "{\"region\":", 400},
      {"PUT", "/api/v1/reference/s-1", JSON, "{\"a\":{\"b\":1}}", 422},
      {"PUT", "/api/v1/reference/s-1", JSON, "{\"a\":NaN}", 422},
      {"PUT", "/api/v1/reference/s-1", JSON, "{\"a\":1,\"a\":2}", 422},
      {"PUT", "/api/v1/reference/s-1", JSON, "{\"a\":[1]}", 422},
      {"PUT", "/api/v1/reference/s-1", "Content-Type: text/plain", okBody, 415},
      {"PUT", "/api/v1/reference/s-1", NDJSON, okBody, 415},
      {"PUT", "/api/v1/reference/s-1", null, okBody, 415},
      {"PUT", "/api/v1/reference/s-1", JSON, "", 400},
      {"PUT", "/api/v1/reference/" + repeat("s", 257), JSON, okBody, 422},
      {"PUT", "/api/v1/reference/%20%20", JSON, okBody, 422},
      {"DELETE", "/api/v1/reference/%20", null, null, 422},
      {"DELETE", "/api/v1/reference/" + repeat("d", 300), null, null, 422},
      {"POST", "/api/v1/reference/s-1", JSON, okBody, 405},
      {"GET", "/api/v1/reference/s-1", null, null, 405},
      {"PUT", "/api/v1/reference/", JSON, okBody, 404},
      {"PUT", "/api/v1/reference/a/b", JSON, okBody, 404},
      {"PUT", "/api/v1/reference/..", JSON, okBody, 400},
      {"PUT", "/api/v1/reference/.", JSON, okBody, 400},
      {"PUT", "/api/v1/reference/%2e%2e", JSON, okBody, 400},
      {"PUT", "/api/v1/reference/..%2f..%2fetc%2fpasswd", JSON, okBody, 400},
      {"PUT", "/api/v1/reference/..%5c..%5cwindows", JSON, okBody, 400},
      {"PUT", "/api/v1/reference/a%00b", JSON, okBody, 400},
      {"PUT", "/api/v1/reference/a%0d%0aSet-Cookie:%20x=1", JSON, okBody, 400},
      {"PUT", "/api/v1/reference/a;jsessionid=1", JSON, okBody, 400},
      {"PUT", "/api/v1/reference/%ff%fe", JSON, okBody, 400},
      {"PUT", "/api/v1/reference/%", JSON, okBody, 400},
      {"PUT", "/api/v1/reference/%zz", JSON, okBody, 400},
      {"DELETE", "/api/v1/reference/..%2f..%2fetc", null, null, 400},
      {"DELETE", "/api/v1/reference/%00", null, null, 400},
    };
    for (Object[] row : rows) {
      HttpRequestSpec spec =
          HttpRequestSpec.of((String) row[0], (String) row[1])
              .header("Authorization: Bearer " + REFERENCE_TOKEN);
      if (row[2] != null) {
        spec.header((String) row[2]);
      }
      if (row[3] != null) {
        spec.body((String) row[3]);
      }
      add(
          "reference "
              + row[0]
              + " "
              + abbreviate((String) row[1])
              + " "
              + abbreviate(String.valueOf(row[3])),
          spec,
          (Integer) row[4]);
    }
  }

  private static String abbreviate(String text) {
    return text.length() > 60 ? text.substring(0, 60) + "..." : text;
  }

  private void pathsAndMethods() {
    String auth = "Authorization: Bearer " + INGEST_TOKEN;
    Object[][] rows = {
      {"GET", EVENTS, 405},
      {"PUT", EVENTS, 405},
      {"DELETE", EVENTS, 405},
      {"PATCH", EVENTS, 405},
      {"POST", "/api/v1/events/1", 404},
      {"POST", "/api/v1/event", 404},
      {"POST", "/api/v2/events", 404},
      {"POST", "/api/v1/events/..", 400},
      {"POST", "/api/v1/x/../events", 400},
      {"POST", "/api/v1/%2e%2e/v1/events", 400},
      {"POST", "/api/v1/events%00", 400},
      {"POST", "/api/v1/events;x=1", 400},
      {"POST", "/api/v1//events", 400},
      {"POST", "/api/v1/events%2f", 400},
      {"POST", "/api/v1/events/%2e", 400},
      {"GET", "/", 404},
      {"GET", "/actuator/health", 404},
      {"GET", "/actuator/env", 404},
      {"GET", "/error", 404},
      {"TRACE", EVENTS, 405},
      {"FOO", EVENTS, 405},
    };
    for (Object[] row : rows) {
      HttpRequestSpec spec =
          HttpRequestSpec.of((String) row[0], (String) row[1]).header(auth).header(JSON);
      if (!"GET".equals(row[0]) && !"TRACE".equals(row[0])) {
        spec.body(GOOD);
      }
      add("path/method " + row[0] + " " + row[1], spec, (Integer) row[2]);
    }
  }

  private void headerAbuse() {
    byte[] good = utf8(GOOD);
    add(
        "Content-Length negative",
        postEvents(JSON, good).withoutContentLength().header("Content-Length: -1"),
        400);
    add(
        "Content-Length not a number",
        postEvents(JSON, good).withoutContentLength().header("Content-Length: ten"),
        400);
    add(
        "two different Content-Lengths",
        postEvents(JSON, good)
            .withoutContentLength()
            .header("Content-Length: " + good.length)
            .header("Content-Length: 3"),
        400);
    // (Content-Length with Transfer-Encoding: Tomcat drops the length and reads the chunks, as RFC
    // 9112 6.3 allows, so that pair is no ambiguity here.)
    add(
        "chunk size not hexadecimal",
        postEvents(JSON, utf8("zz\r\n" + GOOD + "\r\n0\r\n\r\n"))
            .withoutContentLength()
            .header("Transfer-Encoding: chunked"),
        400);
    add(
        "chunked body that stalls mid-chunk",
        postEvents(JSON, utf8("ff\r\n" + GOOD))
            .withoutContentLength()
            .header("Transfer-Encoding: chunked"),
        408);
    add(
        "unknown Transfer-Encoding",
        postEvents(JSON, good).withoutContentLength().header("Transfer-Encoding: rot13"),
        501);
    add(
        "gzip Content-Encoding on a plain body",
        postEvents(JSON, good).header("Content-Encoding: gzip"),
        415);
    add("two Content-Types", postEvents(JSON, good).header("Content-Type: text/plain"), 400);
    add("header of 20 KB", postEvents(JSON, good).header("X-Big: " + repeat("b", 20_000)), 400);
    add("no Host header", postEvents(JSON, good).withoutHost(), 400);
    add("header without colon", postEvents(JSON, good).header("NoColonHere"), 400);
    add("header name with space", postEvents(JSON, good).header("Bad Name: x"), 400);
    add(
        "request line with a fourth part",
        HttpRequestSpec.line("POST " + EVENTS + " HTTP/1.1 x"),
        400);
    add("request line with bad version", HttpRequestSpec.line("POST " + EVENTS + " HTTP/9.9"), 505);
    add(
        "request line with spaces in target",
        HttpRequestSpec.line("POST /api/v1/ events HTTP/1.1"),
        400);
    add(
        "request line with raw control character",
        HttpRequestSpec.line("POST /api/v1/events\u0001 HTTP/1.1"),
        400);
    add(
        "Accept: application/xml",
        postEvents(JSON, utf8("{")).header("Accept: application/xml"),
        400);
    add("Expect header unknown", postEvents(JSON, good).header("Expect: 200-ok"), 417);
  }

  private void unauthorized() {
    byte[] good = utf8(GOOD);
    add("no Authorization", HttpRequestSpec.of("POST", EVENTS).header(JSON).body(good), 401);
    String[] authorizations = {
      "Bearer wrong-token",
      "Bearer " + INGEST_TOKEN + "x",
      "Bearer " + INGEST_TOKEN.toUpperCase(),
      "Basic " + INGEST_TOKEN,
      "Basic aW5nZXN0OnNlY3JldA==",
      "Bearer",
      "Bearer ",
      INGEST_TOKEN,
      "Bearer " + INGEST_TOKEN + " " + INGEST_TOKEN,
      "Bearer " + repeat("A", 5000),
      "Bearer ' OR '1'='1",
      "Bearer ${jndi:ldap://x/a}",
    };
    for (String authorization : authorizations) {
      add(
          "Authorization '" + abbreviate(authorization) + "'",
          HttpRequestSpec.of("POST", EVENTS)
              .header(JSON)
              .header("Authorization: " + authorization)
              .body(good),
          401);
    }
    add(
        "two Authorization headers",
        postEvents(JSON, good).header("Authorization: Bearer " + INGEST_TOKEN),
        401);
    add(
        "token in the query string",
        HttpRequestSpec.of("POST", EVENTS + "?access_token=" + INGEST_TOKEN)
            .header(JSON)
            .body(good),
        401);
    add(
        "reference key on events",
        HttpRequestSpec.of("POST", EVENTS)
            .header(JSON)
            .header("Authorization: Bearer " + REFERENCE_TOKEN)
            .body(good),
        403);
    add(
        "query key on events",
        HttpRequestSpec.of("POST", EVENTS)
            .header(JSON)
            .header("Authorization: Bearer " + QUERY_TOKEN)
            .body(good),
        403);
    add(
        "ingest key on reference",
        HttpRequestSpec.of("PUT", "/api/v1/reference/s-1")
            .header(JSON)
            .header("Authorization: Bearer " + INGEST_TOKEN)
            .body("{}"),
        403);
    add(
        "ingest key on reference delete",
        HttpRequestSpec.of("DELETE", "/api/v1/reference/s-1")
            .header("Authorization: Bearer " + INGEST_TOKEN),
        403);
    add("no key on reference delete", HttpRequestSpec.of("DELETE", "/api/v1/reference/s-1"), 401);
  }
}
