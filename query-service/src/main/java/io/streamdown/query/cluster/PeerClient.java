package io.streamdown.query.cluster;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.streamdown.query.config.RoutingSettings;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Flow;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ConnectionRequestTimeoutException;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.springframework.http.HttpHeaders;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;

/**
 * Asks another query instance: a GET of the same API path, marked {@value #FORWARDED} so the
 * other instance answers from its own stores, with the caller's {@code Authorization} header (the
 * other instance checks the same API keys). Every failure is a value (a reason, counted in {@code
 * streamdown.query.forwards.failed{reason}}), never an exception.
 *
 * <p>Two clients, each for what it does cheaply. A point query's forward ({@link #ask}) blocks the
 * request's own thread on a pooled keep-alive connection (Apache HttpClient, classic): under W4's
 * load the JDK client's asynchronous machinery (its selector thread, executor hand-offs and
 * futures) took a sixth of the asking instance's CPU, more than the store read. Fan-outs ({@link
 * #get}, every instance at once) and live streams ({@link #stream}) keep the JDK client, which
 * runs many requests without a thread each. Both keep connections to each instance open.
 */
@Component
public class PeerClient implements AutoCloseable {

  /** Marks an instance-to-instance request; its answer comes from the receiver's stores only. */
  public static final String FORWARDED = "Streamdown-Forwarded";

  /** The instance whose store answered. */
  public static final String SERVED_BY = "Streamdown-Served-By";

  private static final String JSON = MediaType.APPLICATION_JSON_VALUE;

  /**
   * Connections the forwarding client keeps, to one instance and in all: one per request thread
   * that may be forwarding at once (Tomcat's default of 200 threads), so a burst never waits for a
   * connection. Forwards only run on request threads, so no more are ever in use at once; when the
   * pool is full, a forward to another instance closes an idle connection to make room.
   */
  static final int MAX_CONNECTIONS = 200;

  /** Idle pooled connections are closed after this (Tomcat closes its side after 60 s). */
  static final TimeValue IDLE_CONNECTION_LIFE = TimeValue.ofSeconds(30);

  /**
   * A pooled connection unused for longer than this is checked before it is reused, so one the
   * other instance closed (it restarted, or timed it out) is replaced instead of failing a forward.
   */
  static final TimeValue VALIDATE_AFTER_IDLE = TimeValue.ofSeconds(1);

  private final HttpClient http;
  private final CloseableHttpClient forwards;
  private final MeterRegistry registry;

  public PeerClient(RoutingSettings settings, MeterRegistry registry) {
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(settings.connectTimeout())
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    this.forwards =
        HttpClients.custom()
            .setConnectionManager(
                PoolingHttpClientConnectionManagerBuilder.create()
                    .setMaxConnPerRoute(MAX_CONNECTIONS)
                    .setMaxConnTotal(MAX_CONNECTIONS)
                    .setDefaultConnectionConfig(
                        ConnectionConfig.custom()
                            .setConnectTimeout(Timeout.of(settings.connectTimeout()))
                            .setValidateAfterInactivity(VALIDATE_AFTER_IDLE)
                            .build())
                    .build())
            .evictIdleConnections(IDLE_CONNECTION_LIFE)
            // A GET the other instance answered 503 must not be asked again here: the router
            // moves on to the key's next replica within the same deadline.
            .disableAutomaticRetries()
            .disableRedirectHandling()
            .disableCookieManagement()
            .disableAuthCaching()
            .disableContentCompression()
            .build();
    this.registry = registry;
  }

  /** What another instance said. */
  public sealed interface Reply permits Reply.Ok, Reply.Failed {

    /**
     * A 200 with a JSON body, as the other instance sent it: a forwarded answer is passed on as
     * these bytes, a fan-out's parts are read from them.
     */
    record Ok(byte[] body, String servedBy) implements Reply {}

    /**
     * No answer.
     *
     * @param reason the metric tag: timeout, connect, unavailable, status, invalid, io
     */
    record Failed(String reason, String detail) implements Reply {}
  }

  /** The URI of an API path (with its query string) on an instance. */
  public static URI uri(Instance target, String pathAndQuery) {
    return URI.create("http://" + target.id() + pathAndQuery);
  }

  /**
   * GETs {@code pathAndQuery} from {@code target} on the calling thread, giving up after {@code
   * timeout}: a point query's forward. The timeout bounds the wait for a pooled connection and
   * each wait for the answer's bytes (an answer of a few kilobytes arrives in one or two reads);
   * the connect timeout is {@code streamdown.query.routing.connect-timeout}.
   */
  public Reply ask(Instance target, String pathAndQuery, String authorization, Duration timeout) {
    if (timeout.isNegative() || timeout.isZero()) {
      return failed("timeout", "no time left to ask " + target);
    }
    HttpGet get = new HttpGet(uri(target, pathAndQuery));
    get.setHeader(FORWARDED, "1");
    get.setHeader(HttpHeaders.ACCEPT, JSON);
    if (authorization != null) {
      get.setHeader(HttpHeaders.AUTHORIZATION, authorization);
    }
    Timeout left = Timeout.of(timeout);
    get.setConfig(
        RequestConfig.custom().setConnectionRequestTimeout(left).setResponseTimeout(left).build());
    try {
      return forwards.execute(
          get,
          response -> {
            Header servedBy = response.getFirstHeader(SERVED_BY);
            Header type = response.getFirstHeader(HttpHeaders.CONTENT_TYPE);
            byte[] body =
                response.getEntity() == null
                    ? new byte[0]
                    : EntityUtils.toByteArray(response.getEntity());
            return reply(
                target,
                response.getCode(),
                type == null ? null : type.getValue(),
                servedBy == null ? null : servedBy.getValue(),
                body);
          });
    } catch (ConnectException | ConnectTimeoutException e) {
      return failed("connect", target + ": " + e);
    } catch (SocketTimeoutException | ConnectionRequestTimeoutException e) {
      return failed("timeout", target + ": " + e);
    } catch (IOException e) {
      return failed("io", target + ": " + e);
    }
  }

  /**
   * GETs {@code pathAndQuery} from {@code target} without holding a thread, giving up after
   * {@code timeout}: one part of a fan-out to every instance.
   */
  public CompletableFuture<Reply> get(
      Instance target, String pathAndQuery, String authorization, Duration timeout) {
    if (timeout.isNegative() || timeout.isZero()) {
      return CompletableFuture.completedFuture(failed("timeout", "no time left to ask " + target));
    }
    HttpRequest request =
        request(target, pathAndQuery, authorization, JSON).timeout(timeout).build();
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
        .handle((response, error) -> reply(target, response, error));
  }

  /**
   * Opens {@code target}'s server-sent event stream at {@code pathAndQuery} and hands its lines to
   * {@code lines} while it answers 200 (without a timeout: a stream lasts). The future completes
   * when the stream ends, whichever way.
   */
  public CompletableFuture<HttpResponse<Void>> stream(
      Instance target, String pathAndQuery, String authorization, Flow.Subscriber<String> lines) {
    return http.sendAsync(
        request(target, pathAndQuery, authorization, "text/event-stream").build(),
        info ->
            info.statusCode() == 200
                ? HttpResponse.BodySubscribers.fromLineSubscriber(lines)
                : HttpResponse.BodySubscribers.discarding());
  }

  private static HttpRequest.Builder request(
      Instance target, String pathAndQuery, String authorization, String accept) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri(target, pathAndQuery))
            .header(FORWARDED, "1")
            .header("Accept", accept)
            .GET();
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return request;
  }

  private Reply reply(Instance target, HttpResponse<byte[]> response, Throwable error) {
    if (error != null) {
      Throwable cause = error instanceof CompletionException && error.getCause() != null
          ? error.getCause()
          : error;
      String reason =
          cause instanceof HttpConnectTimeoutException || cause instanceof ConnectException
              ? "connect"
              : cause instanceof HttpTimeoutException ? "timeout" : "io";
      if (!(cause instanceof IOException) && !reason.equals("timeout")) {
        reason = "io";
      }
      return failed(reason, target + ": " + cause);
    }
    return reply(
        target,
        response.statusCode(),
        response.headers().firstValue(HttpHeaders.CONTENT_TYPE).orElse(null),
        response.headers().firstValue(SERVED_BY).orElse(null),
        response.body());
  }

  /**
   * A 200 whose body says it is JSON is an answer; the body is not parsed here (a forward passes
   * it on as it came; a fan-out's reader reports a part it cannot read as invalid).
   */
  private Reply reply(
      Instance target, int status, String contentType, String servedBy, byte[] body) {
    if (status != 200) {
      return failed(status == 503 ? "unavailable" : "status", target + " answered " + status);
    }
    if (contentType == null || !isJson(contentType) || body.length == 0) {
      return failed(
          "invalid", target + " sent a body that is not JSON (Content-Type " + contentType + ")");
    }
    return new Reply.Ok(body, servedBy == null ? target.id() : servedBy);
  }

  private static boolean isJson(String contentType) {
    try {
      return MediaType.APPLICATION_JSON.isCompatibleWith(MediaType.parseMediaType(contentType));
    } catch (InvalidMediaTypeException e) {
      return false;
    }
  }

  @Override
  public void close() throws IOException {
    forwards.close(); // the JDK client (Java 17) has no close; its threads are daemons
  }

  /** Counts a failure of asking another instance and returns it. */
  public Reply.Failed failed(String reason, String detail) {
    Counter.builder("streamdown.query.forwards.failed")
        .description("Requests to other query instances that got no answer, by reason")
        .tag("reason", reason)
        .register(registry)
        .increment();
    return new Reply.Failed(reason, detail);
  }
}
