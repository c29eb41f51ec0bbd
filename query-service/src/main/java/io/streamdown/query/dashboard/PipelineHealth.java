package io.streamdown.query.dashboard;

import io.streamdown.prometheus.PrometheusText;
import io.streamdown.query.dashboard.PipelineResponse.ServiceStatus;
import io.streamdown.schemas.Json;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Asks every service's management port, in parallel and with a short timeout, for its readiness
 * ({@code /actuator/health/readiness}) and its metrics ({@code /actuator/prometheus}). A service
 * that does not answer is DOWN; it never fails the whole answer. One look is reused for {@link
 * DashboardSettings#cacheFor()}, and callers arriving while one is under way share it.
 */
public final class PipelineHealth {

  static final String FRESHNESS_AGGREGATED = "streamdown_freshness_aggregated_seconds";
  static final String FRESHNESS_QUERYABLE = "streamdown_freshness_queryable_seconds";
  static final String LATE_EVENTS = "streamdown_aggregate_late_events_total";
  static final String DEAD_LETTERS = "streamdown_dlq_records_total";

  private record Look(Instant at, CompletableFuture<PipelineResponse> answer) {}

  private final DashboardSettings settings;
  private final Clock clock;
  private final HttpClient http;
  private Look last;

  public PipelineHealth(DashboardSettings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(settings.timeout())
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /** The pipeline now, or as it was at most {@code cacheFor} ago. */
  public PipelineResponse pipeline() {
    CompletableFuture<PipelineResponse> answer;
    synchronized (this) {
      Instant now = clock.instant();
      if (last == null
          || last.answer().isCompletedExceptionally()
          || !now.isBefore(last.at().plus(settings.cacheFor()))) {
        last = new Look(now, look(now));
      }
      answer = last.answer();
    }
    return answer.join();
  }

  private CompletableFuture<PipelineResponse> look(Instant now) {
    List<CompletableFuture<ServiceStatus>> calls = new ArrayList<>();
    for (String name : DashboardSettings.SERVICE_NAMES) {
      calls.add(status(name, settings.services().get(name)));
    }
    return CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new))
        .thenApply(
            done ->
                new PipelineResponse(
                    now.toString(), calls.stream().map(CompletableFuture::join).toList()));
  }

  private CompletableFuture<ServiceStatus> status(String name, URI base) {
    CompletableFuture<Outcome> readiness =
        get(base, "/actuator/health/readiness", true)
            .handle(
                (body, failure) ->
                    failure == null ? readiness(body) : new Outcome(null, describe(failure)));
    CompletableFuture<Outcome> metrics =
        get(base, "/actuator/prometheus", false)
            .handle(
                (body, failure) ->
                    failure == null
                        ? new Outcome(body, null)
                        : new Outcome(null, "metrics: " + describe(failure)));
    return readiness.thenCombine(metrics, (health, text) -> combine(name, health, text));
  }

  /** A value or, when it could not be had, why not. */
  private record Outcome(String value, String error) {}

  private static Outcome readiness(String body) {
    try {
      JsonNode status = Json.MAPPER.readTree(body).get("status");
      return status != null && status.isString()
          ? new Outcome(status.asString(), null)
          : new Outcome(null, "its health answer holds no status");
    } catch (JacksonException e) {
      return new Outcome(null, "its health answer is not JSON");
    }
  }

  private String describe(Throwable failure) {
    Throwable cause = failure;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof HttpTimeoutException || cause instanceof TimeoutException) {
      return "no answer within " + settings.timeout().toMillis() + " ms";
    }
    if (cause instanceof ConnectException) {
      return "connection refused";
    }
    return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
  }

  private static ServiceStatus combine(String name, Outcome health, Outcome metrics) {
    String status = health.value() == null ? "DOWN" : health.value();
    String error = health.error() != null ? health.error() : metrics.error();
    if (metrics.value() == null) {
      return new ServiceStatus(name, status, null, null, null, error);
    }
    PrometheusText text = PrometheusText.parse(metrics.value());
    Optional<Double> freshness =
        text.histogramQuantile(FRESHNESS_QUERYABLE, 0.99)
            .or(() -> text.histogramQuantile(FRESHNESS_AGGREGATED, 0.99));
    return new ServiceStatus(
        name,
        status,
        freshness.orElse(null),
        Math.round(text.sum(LATE_EVENTS)),
        Math.round(text.sum(DEAD_LETTERS)),
        error);
  }

  /**
   * GETs a management URL. A health endpoint answers 503 with a JSON body while the service is
   * not ready, which is an answer too; anything else but 200 fails.
   */
  private CompletableFuture<String> get(URI base, String path, boolean healthEndpoint) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(base.toString().replaceAll("/+$", "") + path))
            .timeout(settings.timeout())
            .GET()
            .build();
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
        .orTimeout(settings.timeout().toMillis() * 2, TimeUnit.MILLISECONDS)
        .thenApply(
            response -> {
              boolean answered =
                  response.statusCode() == 200 || (healthEndpoint && response.statusCode() == 503);
              if (!answered) {
                throw new CompletionException(
                    new IllegalStateException(path + " answered " + response.statusCode()));
              }
              return response.body();
            });
  }
}
