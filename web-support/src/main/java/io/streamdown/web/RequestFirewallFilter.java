package io.streamdown.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.PathContainer;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses requests that no client of the API sends and that parsers disagree about, before any
 * other code sees them: paths with dot segments, empty segments, matrix parameters, encoded
 * slashes, backslashes or percent signs, or control characters, and query strings with control
 * characters (400); other methods than the API's (405); repeated {@code Content-Type}, {@code
 * Content-Length} or {@code Host}, or {@code Content-Length} together with {@code
 * Transfer-Encoding}, the stuff of request smuggling (400); and a {@code Content-Encoding}, which
 * no endpoint decodes (415). Otherwise Tomcat's routing and a path variable could read a path
 * differently, and {@code /api/v1/reference/..} would be a source.
 */
public final class RequestFirewallFilter extends OncePerRequestFilter {

  private static final Set<String> METHODS =
      Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS");

  /** Encoded forms of characters that change what a path means, lower case. */
  private static final String[] ENCODED = {"%2f", "%5c", "%25", "%3b", "%2e", "%00"};

  /** A percent-encoded C0 control character or DEL; no parameter of the API holds one. */
  private static final Pattern ENCODED_CONTROL =
      Pattern.compile("%(?:[01][0-9a-f]|7f)", Pattern.CASE_INSENSITIVE);

  private static final String[] SINGLE_HEADERS = {
    HttpHeaders.CONTENT_TYPE, HttpHeaders.CONTENT_LENGTH, HttpHeaders.HOST
  };

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String refusal = pathProblem(request.getRequestURI());
    if (refusal == null) {
      refusal = queryProblem(request.getQueryString());
    }
    if (refusal != null) {
      refuse(response, HttpStatus.BAD_REQUEST, refusal);
      return;
    }
    if (!METHODS.contains(request.getMethod())) {
      response.setHeader(HttpHeaders.ALLOW, String.join(", ", METHODS.stream().sorted().toList()));
      refuse(
          response,
          HttpStatus.METHOD_NOT_ALLOWED,
          "method " + printable(request.getMethod()) + " is not supported");
      return;
    }
    refusal = headerProblem(request);
    if (refusal != null) {
      refuse(response, HttpStatus.BAD_REQUEST, refusal);
      return;
    }
    String encoding = request.getHeader(HttpHeaders.CONTENT_ENCODING);
    if (encoding != null && !encoding.trim().equalsIgnoreCase("identity")) {
      response.setHeader("Accept-Encoding", "identity");
      refuse(
          response,
          HttpStatus.UNSUPPORTED_MEDIA_TYPE,
          "Content-Encoding is not supported; send the body uncompressed");
      return;
    }
    chain.doFilter(request, response);
  }

  /** Why a raw request path is refused, or null when it is fine. */
  static String pathProblem(String rawPath) {
    String lower = rawPath.toLowerCase(Locale.ROOT);
    for (String encoded : ENCODED) {
      if (lower.contains(encoded)) {
        return "the path holds an encoded '" + encoded + "', which no route accepts";
      }
    }
    if (rawPath.contains(";")) {
      return "the path holds a ';' (path parameters are not accepted)";
    }
    if (rawPath.contains("//") || rawPath.contains("\\")) {
      return "the path holds an empty segment or a backslash";
    }
    PathContainer path;
    try {
      path = PathContainer.parsePath(rawPath);
    } catch (IllegalArgumentException e) {
      return "the path is not valid percent-encoded UTF-8";
    }
    for (PathContainer.Element element : path.elements()) {
      if (element instanceof PathContainer.PathSegment segment) {
        String value = segment.valueToMatch();
        if (value.equals(".") || value.equals("..")) {
          return "the path holds a '.' or '..' segment";
        }
        if (value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
          return "the path holds a control character";
        }
      }
    }
    return null;
  }

  /** Why a raw query string is refused (a control character, raw or encoded), or null. */
  static String queryProblem(String rawQuery) {
    if (rawQuery != null
        && (ENCODED_CONTROL.matcher(rawQuery).find()
            || rawQuery.chars().anyMatch(c -> c < 0x20 || c == 0x7f))) {
      return "the query string holds a control character";
    }
    return null;
  }

  private static String headerProblem(HttpServletRequest request) {
    for (String name : SINGLE_HEADERS) {
      if (Collections.list(request.getHeaders(name)).size() > 1) {
        return "the request holds more than one " + name + " header";
      }
    }
    if (request.getHeader(HttpHeaders.CONTENT_LENGTH) != null
        && request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null) {
      return "the request holds both Content-Length and Transfer-Encoding";
    }
    return null;
  }

  private static String printable(String text) {
    String shown = text.length() > 20 ? text.substring(0, 20) + "..." : text;
    return shown.replaceAll("[^\\x21-\\x7e]", "?");
  }

  private static void refuse(HttpServletResponse response, HttpStatus status, String detail)
      throws IOException {
    Problems.write(response, status, detail, Map.of());
  }
}
