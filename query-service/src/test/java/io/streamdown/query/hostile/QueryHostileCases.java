package io.streamdown.query.hostile;

import io.streamdown.web.testing.HostileCase;
import io.streamdown.web.testing.HttpRequestSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * The hostile requests of the query API, each with the status it must get. The views are those of
 * {@link HostileQueriesIT}: {@code by-source} (type, source) and {@code by-type} (type).
 */
final class QueryHostileCases {

  static final String QUERY_TOKEN = "hostile-query-token";
  static final String INGEST_TOKEN = "hostile-ingest-token";

  private static final String WINDOWS = "/api/v1/views/by-source/windows?type=temp&source=s-1";
  private static final String ROLLUP = "/api/v1/views/by-source/rollup?type=temp&source=s-1";
  private static final String TOP = "/api/v1/views/by-type/top";

  private final List<HostileCase> cases = new ArrayList<>();

  private QueryHostileCases() {}

  static List<HostileCase> all() {
    QueryHostileCases table = new QueryHostileCases();
    table.unauthorized();
    table.views();
    table.parameters();
    table.pathsAndMethods();
    table.headerAbuse();
    return List.copyOf(table.cases);
  }

  private static HttpRequestSpec get(String target) {
    return HttpRequestSpec.of("GET", target).header("Authorization: Bearer " + QUERY_TOKEN);
  }

  private void add(String name, HttpRequestSpec request, int status) {
    cases.add(new HostileCase(name, request, status));
  }

  private void unauthorized() {
    for (String path : List.of("/api/v1/views", WINDOWS, ROLLUP, TOP, "/api/v1/nothing")) {
      add("no key on " + path, HttpRequestSpec.of("GET", path), 401);
      add(
          "unknown key on " + path,
          HttpRequestSpec.of("GET", path).header("Authorization: Bearer not-a-key"),
          401);
      add(
          "ingest key on " + path,
          HttpRequestSpec.of("GET", path).header("Authorization: Bearer " + INGEST_TOKEN),
          403);
    }
    String[] authorizations = {
      "Basic " + QUERY_TOKEN,
      "Bearer",
      "Bearer " + QUERY_TOKEN + "\"",
      "Bearer " + "Q".repeat(3000),
      "Bearer ${jndi:ldap://x/a}",
      QUERY_TOKEN,
    };
    for (String authorization : authorizations) {
      add(
          "Authorization '" + abbreviate(authorization) + "'",
          HttpRequestSpec.of("GET", TOP).header("Authorization: " + authorization),
          401);
    }
    add("two Authorization headers", get(TOP).header("Authorization: Bearer " + QUERY_TOKEN), 401);
    add(
        "token in the query string",
        HttpRequestSpec.of("GET", TOP + "?access_token=" + QUERY_TOKEN),
        401);
  }

  private void views() {
    String[] names = {
      "nope",
      "BY-TYPE",
      "by-type%20",
      "%3Cscript%3Ealert(1)%3C%2Fscript%3E".replace("%2F", "-"),
      "'%20OR%20'1'='1",
      "%24%7Bjndi:ldap:%2F%2Fx%7D".replace("%2F", "-"),
      "..-..-etc-passwd",
      "by-type'--",
      "%E2%80%AE",
      "x".repeat(2000),
    };
    for (String name : names) {
      add("unknown view " + abbreviate(name), get("/api/v1/views/" + name + "/top"), 404);
    }
    String[] refused = {
      "..",
      ".",
      "%2e%2e",
      "%2E",
      "..%2f..%2fetc",
      "by-type%00",
      "by-type;v=1",
      "by-type%3b",
      "%25",
      "a%5cb",
      "%0d%0aX:1",
      "%7f",
    };
    for (String name : refused) {
      add("ambiguous view name " + name, get("/api/v1/views/" + name + "/top"), 400);
    }
    add("bad percent-encoding %zz", get("/api/v1/views/%zz/top"), 400);
    add("truncated percent-encoding", get("/api/v1/views/by-type%/top"), 400);
    add("percent-encoded invalid UTF-8", get("/api/v1/views/%ff%fe/top"), 400);
  }

  private void parameters() {
    String[][] windows = {
      {"missing source", "/api/v1/views/by-source/windows?type=temp"},
      {"missing every key field", "/api/v1/views/by-source/windows"},
      {"unknown parameter", WINDOWS + "&colour=red"},
      {"injection as parameter name", WINDOWS + "&'%20OR%201=1--=1"},
      {"repeated key field", WINDOWS + "&source=s-2"},
      {"repeated from", WINDOWS + "&from=0&from=1"},
      {"from not a time", WINDOWS + "&from=yesterday"},
      {"from month 13", WINDOWS + "&from=2025-13-01T00:00:00Z"},
      {"from without offset", WINDOWS + "&from=2025-03-01T00:00:00"},
      {"from with SQL", WINDOWS + "&from=1'%20OR%20'1'='1"},
      {"from with script", WINDOWS + "&from=%3Cscript%3E"},
      {"from with JNDI lookup", WINDOWS + "&from=%24%7Bjndi:ldap://x/a%7D"},
      {"from with 5000 digits", WINDOWS + "&from=" + "9".repeat(5000)},
      {"from NaN", WINDOWS + "&from=NaN"},
      {"from Infinity", WINDOWS + "&from=Infinity"},
      {"from as float", WINDOWS + "&from=1.5e12"},
      {"to before from", WINDOWS + "&from=2025-03-02T00:00:00Z&to=2025-03-01T00:00:00Z"},
      {"range over the maximum", WINDOWS + "&from=2025-01-01T00:00:00Z&to=2025-03-01T00:00:00Z"},
      {"to with CRLF", WINDOWS + "&to=1%0d%0aSet-Cookie:x"},
      {"to with NUL", WINDOWS + "&to=1%00"},
      {"to with path traversal", WINDOWS + "&to=..%2f..%2fetc%2fpasswd"},
    };
    for (String[] row : windows) {
      add("windows: " + row[0], get(row[1]), 400);
      add("rollup: " + row[0], get(row[1].replace("/windows", "/rollup")), 400);
    }
    String[][] top = {
      {"unknown metric", "?by=colour"},
      {"metric with script", "?by=%3Cscript%3E"},
      {"metric with SQL", "?by=count'%20--"},
      {"repeated metric", "?by=count&by=sum"},
      {"limit zero", "?limit=0"},
      {"limit negative", "?limit=-1"},
      {"limit over the maximum", "?limit=1001"},
      {"limit not a number", "?limit=ten"},
      {"limit as exponent", "?limit=1e3"},
      {"limit overflowing an int", "?limit=99999999999999999999"},
      {"limit hexadecimal", "?limit=0x10"},
      {"limit with JNDI lookup", "?limit=%24%7Bjndi:ldap://x/a%7D"},
      {"at not a time", "?at=noon"},
      {"at with SQL", "?at=0;DROP%20TABLE%20x"},
      {"unknown parameter", "?order=desc"},
      {"key field on top", "?type=temp"},
    };
    for (String[] row : top) {
      add("top: " + row[0], get(TOP + row[1]), 400);
    }
  }

  private void pathsAndMethods() {
    for (String method : List.of("POST", "PUT", "DELETE", "PATCH")) {
      add(method + " on views", get("/api/v1/views").withMethod(method), 405);
      add(method + " on top", get(TOP).withMethod(method), 405);
    }
    add("TRACE on views", get("/api/v1/views").withMethod("TRACE"), 405);
    add("PROPFIND on views", get("/api/v1/views").withMethod("PROPFIND"), 405);
    add("view without operation", get("/api/v1/views/by-type"), 404);
    add("operation with extra segment", get("/api/v1/views/by-type/top/extra"), 404);
    add("unknown operation", get("/api/v1/views/by-type/delete"), 404);
    add("dot-dot climbing out", get("/api/v1/views/../../actuator/env"), 400);
    add("double slash", get("/api//v1/views"), 400);
    add("backslash", get("/api/v1/views\\by-type/top"), 400);
    add("actuator on the API port", get("/actuator/health"), 404);
    add("error page asked directly", get("/error"), 404);
  }

  private void headerAbuse() {
    add("two Host headers", get(TOP).header("Host: evil.example"), 400);
    add("no Host header", get(TOP).withoutHost(), 400);
    add("header of 20 KB", get(TOP).header("X-Big: " + "b".repeat(20_000)), 400);
    add("query string of 20 KB", get(TOP + "?by=" + "c".repeat(20_000)), 400);
    add("header without colon", get(TOP).header("NoColon"), 400);
    add("request line with bad version", HttpRequestSpec.line("GET " + TOP + " HTTP/7.0"), 505);
    add("request line with a fourth part", HttpRequestSpec.line("GET " + TOP + " HTTP/1.1 x"), 400);
    add(
        "raw control character in target",
        HttpRequestSpec.line("GET /api/v1/views\u0001 HTTP/1.1"),
        400);
    add("raw space in target", HttpRequestSpec.line("GET /api/v1/ views HTTP/1.1"), 400);
    add("Content-Encoding on a GET", get(TOP).header("Content-Encoding: gzip"), 415);
  }

  private static String abbreviate(String text) {
    return text.length() > 50 ? text.substring(0, 50) + "..." : text;
  }
}
