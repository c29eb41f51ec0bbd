package io.streamdown.query.cluster;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.streamdown.query.config.RoutingSettings;
import io.streamdown.schemas.Json;
import java.io.IOException;
import java.net.ConnectException;
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
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Asks another query instance: a GET of the same API path, marked {@value #FORWARDED} so the
 * other instance answers from its own stores, with the caller's {@code Authorization} header (the
 * other instance checks the same API keys). The JDK client keeps connections to each instance
 * open and reuses them. Every failure is a value (a reason, counted in {@code
 * streamdown.query.forwards.failed{reason}}), never an exception.
 */
@Component
public class PeerClient {

  /** Marks an instance-to-instance request; its answer comes from the receiver's stores only. */
  public static final String FORWARDED = "Streamdown-Forwarded";

  /** The instance whose store answered. */
  public static final String SERVED_BY = "Streamdown-Served-By";

  private final HttpClient http;
  private final MeterRegistry registry;

  public PeerClient(RoutingSettings settings, MeterRegistry registry) {
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(settings.connectTimeout())
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    this.registry = registry;
  }

  /** What another instance said. */
  public sealed interface Reply permits Reply.Ok, Reply.Failed {

    /** A 200 with a JSON body. */
    record Ok(JsonNode body, String servedBy) implements Reply {}

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

  /** GETs {@code pathAndQuery} from {@code target}, giving up after {@code timeout}. */
  public CompletableFuture<Reply> get(
      Instance target, String pathAndQuery, String authorization, Duration timeout) {
    if (timeout.isNegative() || timeout.isZero()) {
      return CompletableFuture.completedFuture(failed("timeout", "no time left to ask " + target));
    }
    HttpRequest request =
        request(target, pathAndQuery, authorization, "application/json").timeout(timeout).build();
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
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

  private Reply reply(Instance target, HttpResponse<String> response, Throwable error) {
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
    int status = response.statusCode();
    if (status != 200) {
      return failed(status == 503 ? "unavailable" : "status", target + " answered " + status);
    }
    try {
      JsonNode body = Json.MAPPER.readTree(response.body());
      String servedBy = response.headers().firstValue(SERVED_BY).orElse(target.id());
      return new Reply.Ok(body, servedBy);
    } catch (JacksonException e) {
      return failed("invalid", target + " sent a body that is not JSON");
    }
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
