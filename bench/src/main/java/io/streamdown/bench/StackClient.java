package io.streamdown.bench;

import io.streamdown.schemas.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import tools.jackson.databind.JsonNode;

/**
 * The HTTP side of the benchmark: posts events and reference data to ingest and reads the YSB view
 * back from query. Load (event POSTs, W4's queries) goes through a {@link LoadClient} per server;
 * everything else through one JDK client. Both speak HTTP/1.1 (Tomcat answers every request on a
 * kept-alive connection; no h2c upgrade round trip).
 */
public final class StackClient implements AutoCloseable {

  private final URI ingest;
  private final URI query;
  private final ExecutorService executor = Executors.newFixedThreadPool(4);
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .executor(executor)
          .build();

  /** {@code Authorization} value for a stack with API keys (env {@code STREAMDOWN_API_KEY}). */
  private final String authorization;

  /**
   * Event POSTs outstanding at most (the open loop's limit for single-event phases), and so the
   * connections to ingest: one per outstanding request, as the JDK client would open.
   */
  public static final int MAX_POSTS_IN_FLIGHT = 256;

  private final LoadClient ingestLoad;

  /** W4's queries, one connection per closed-loop client. */
  private final LoadClient queryLoad;

  public StackClient(URI ingestBase, URI queryBase) {
    this.ingest = ingestBase;
    this.query = queryBase;
    String key = System.getenv("STREAMDOWN_API_KEY");
    this.authorization = key == null || key.isBlank() ? null : "Bearer " + key.trim();
    this.ingestLoad =
        new LoadClient(
            ingestBase, MAX_POSTS_IN_FLIGHT, authorization, null, Duration.ofSeconds(30));
    this.queryLoad =
        new LoadClient(
            queryBase, 64, authorization, QueryLoad.SERVED_BY, Duration.ofSeconds(30));
  }

  private HttpRequest.Builder request(URI uri) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(uri);
    return authorization == null ? builder : builder.header("Authorization", authorization);
  }

  /** Posts events (one object, or an array when more than one); completes with the HTTP status. */
  public CompletableFuture<Integer> postEvents(List<String> jsonEvents) {
    String body =
        jsonEvents.size() == 1 ? jsonEvents.get(0) : "[" + String.join(",", jsonEvents) + "]";
    return ingestLoad.post("/api/v1/events", body).thenApply(LoadClient.Answer::status);
  }

  /** A GET on query through the load client: the status and {@code Streamdown-Served-By}. */
  public CompletableFuture<LoadClient.Answer> queryLoad(String pathAndQuery) {
    return queryLoad.get(pathAndQuery);
  }

  /** Upserts the reference data of every ad, a few requests at a time. */
  public void putReferences(Map<String, String> bodies) {
    List<CompletableFuture<Integer>> pending = new java.util.ArrayList<>();
    for (Map.Entry<String, String> entry : bodies.entrySet()) {
      HttpRequest request =
          request(ingest.resolve("/api/v1/reference/" + entry.getKey()))
              .timeout(Duration.ofSeconds(30))
              .header("Content-Type", "application/json")
              .PUT(HttpRequest.BodyPublishers.ofString(entry.getValue()))
              .build();
      pending.add(
          http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
              .thenApply(HttpResponse::statusCode));
      if (pending.size() == 32) {
        requireOk(pending);
      }
    }
    requireOk(pending);
  }

  private static void requireOk(List<CompletableFuture<Integer>> pending) {
    for (CompletableFuture<Integer> future : pending) {
      int status = future.join();
      if (status != 200) {
        throw new IllegalStateException("reference upsert answered " + status);
      }
    }
    pending.clear();
  }

  /** GET on query; the status and the body. */
  public HttpResponse<String> get(String pathAndQuery) {
    HttpRequest request =
        request(query.resolve(pathAndQuery)).timeout(Duration.ofSeconds(30)).GET().build();
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * The counts the query API holds for one window of the YSB view, by (type, campaign), of the
   * YSB event types only: W3's markers, each of a type of its own, are left out.
   */
  public Map<List<String>, Long> ysbWindow(long windowStart) {
    HttpResponse<String> response =
        get("/api/v1/views/" + Ysb.VIEW + "/top?by=count&limit=1000&at=" + windowStart);
    if (response.statusCode() != 200) {
      return Map.of();
    }
    JsonNode top = Json.MAPPER.readTree(response.body());
    Map<List<String>, Long> counts = new HashMap<>();
    for (JsonNode entry : top.get("entries")) {
      JsonNode key = entry.get("key");
      if (!Ysb.EVENT_TYPES.contains(key.get("type").asString())) {
        continue;
      }
      counts.put(
          List.of(key.get("type").asString(), key.get("reference.campaign_id").asString()),
          entry.get("count").asLong());
    }
    return counts;
  }

  /** Whether the query service knows the YSB view (a reused stack may not). */
  public boolean hasYsbView() {
    HttpResponse<String> response = get("/api/v1/views");
    return response.statusCode() == 200 && response.body().contains("\"" + Ysb.VIEW + "\"");
  }

  @Override
  public void close() {
    executor.shutdownNow();
    ingestLoad.close();
    queryLoad.close();
  }
}
