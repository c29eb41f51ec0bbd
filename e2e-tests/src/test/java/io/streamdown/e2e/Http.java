package io.streamdown.e2e;

import io.streamdown.schemas.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/** A small JSON-over-HTTP client for the tests. */
final class Http {

  /** The status of a {@link #probe} that found nothing listening. */
  static final int NOT_LISTENING = 0;

  record Response(int status, String body, HttpHeaders headers) {
    JsonNode json() {
      return Json.MAPPER.readTree(body);
    }

    Optional<String> header(String name) {
      return headers.firstValue(name);
    }
  }

  private final HttpClient client =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(5))
          .version(HttpClient.Version.HTTP_1_1)
          .build();

  Response get(URI uri) {
    return send(HttpRequest.newBuilder(uri).GET());
  }

  /**
   * A GET of an instance that may be down: status {@value #NOT_LISTENING} when nothing accepts
   * the connection, instead of an exception.
   */
  Response probe(URI uri) {
    try {
      return get(uri);
    } catch (UncheckedIOException e) {
      if (e.getCause() instanceof ConnectException
          || e.getCause() instanceof HttpConnectTimeoutException) {
        return new Response(NOT_LISTENING, "", HttpHeaders.of(Map.of(), (name, value) -> true));
      }
      throw e;
    }
  }

  Response send(String method, URI uri, String contentType, String body) {
    return send(
        HttpRequest.newBuilder(uri)
            .header("Content-Type", contentType)
            .method(method, HttpRequest.BodyPublishers.ofString(body)));
  }

  private Response send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> response =
          client.send(
              request.timeout(Duration.ofSeconds(30)).build(),
              HttpResponse.BodyHandlers.ofString());
      return new Response(response.statusCode(), response.body(), response.headers());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
