package io.streamdown.web.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The bytes of one HTTP/1.1 request, built step by step; by default with {@code Host}, {@code
 * Connection: close} and a correct {@code Content-Length}, each of which a case may leave out or
 * falsify.
 */
public final class HttpRequestSpec {

  private String requestLine;
  private final List<String> headers = new ArrayList<>();
  private byte[] body;
  private boolean host = true;
  private boolean contentLength = true;

  private HttpRequestSpec(String requestLine) {
    this.requestLine = requestLine;
  }

  /** A request with the given method and target (sent verbatim, so encode it yourself). */
  public static HttpRequestSpec of(String method, String target) {
    return new HttpRequestSpec(method + " " + target + " HTTP/1.1");
  }

  /** A request line sent as is, valid or not. */
  public static HttpRequestSpec line(String requestLine) {
    return new HttpRequestSpec(requestLine);
  }

  /** The same request with another method. */
  public HttpRequestSpec withMethod(String method) {
    requestLine = method + requestLine.substring(requestLine.indexOf(' '));
    return this;
  }

  /** Adds a header line, {@code Name: value}. */
  public HttpRequestSpec header(String line) {
    headers.add(line);
    return this;
  }

  public HttpRequestSpec body(String text) {
    return body(text.getBytes(StandardCharsets.UTF_8));
  }

  public HttpRequestSpec body(byte[] bytes) {
    this.body = bytes;
    return this;
  }

  /** Sends no {@code Host} header. */
  public HttpRequestSpec withoutHost() {
    host = false;
    return this;
  }

  /** Sends no {@code Content-Length} (e.g. because the case sets its own or goes chunked). */
  public HttpRequestSpec withoutContentLength() {
    contentLength = false;
    return this;
  }

  public byte[] bytes() {
    List<String> all = new ArrayList<>();
    if (host) {
      all.add("Host: localhost");
    }
    all.addAll(headers);
    if (contentLength && body != null) {
      all.add("Content-Length: " + body.length);
    }
    all.add("Connection: close");
    return RawHttp.request(requestLine, all, body);
  }
}
