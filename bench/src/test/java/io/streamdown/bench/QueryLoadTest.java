package io.streamdown.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * W4's closed-loop clients against a real HTTP server on a local port that plays two query
 * instances: it says it served a view event's key itself, a click's from another instance, and
 * fails every purchase's.
 */
class QueryLoadTest {

  private static final String SELF = "127.0.0.1:1";
  private static final List<String> CAMPAIGNS = List.of("c-1", "c-2", "c-3");

  private HttpServer server;
  private StackClient client;
  private final Map<String, AtomicLong> asked = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> campaigns = new ConcurrentHashMap<>();

  @BeforeEach
  void start() throws IOException {
    server = LocalHttpServer.start(64, 4);
    server.createContext(
        "/api/v1/views/" + Ysb.VIEW + "/windows",
        exchange -> {
          Map<String, String> params = params(exchange.getRequestURI());
          String type = params.get("type");
          asked.computeIfAbsent(type, t -> new AtomicLong()).incrementAndGet();
          campaigns
              .computeIfAbsent(params.get("reference.campaign_id"), c -> new AtomicLong())
              .incrementAndGet();
          long from = Long.parseLong(params.get("from"));
          long age = System.currentTimeMillis() - from;
          if (age < 59_000L || age > 61_000L) {
            LocalHttpServer.answer(exchange, 400, "{\"age\":" + age + "}");
            return;
          }
          switch (type) {
            case "view" -> served(exchange, SELF);
            case "click" -> served(exchange, "127.0.0.1:2");
            default -> LocalHttpServer.answer(exchange, 500, "{}");
          }
        });
    server.createContext(
        QueryLoad.VIEW_LIST,
        exchange -> {
          asked.computeIfAbsent("list", t -> new AtomicLong()).incrementAndGet();
          served(exchange, SELF);
        });
    client = new StackClient(LocalHttpServer.base(server), LocalHttpServer.base(server));
  }

  @AfterEach
  void stop() {
    client.close();
    server.stop(0);
  }

  @Test
  void sortsAnswersByTheInstanceThatServedThemAndCountsFailures() {
    QueryLoad.Result result =
        QueryLoad.run(
            client, QueryLoad.windows(CAMPAIGNS), 2, Duration.ofMillis(500), SELF);

    long views = count("view");
    long clicks = count("click");
    long purchases = count("purchase");
    assertThat(views).isPositive();
    assertThat(clicks).isPositive();
    assertThat(purchases).isPositive();
    assertThat(result.localMicros().getTotalCount()).isEqualTo(views);
    assertThat(result.routedMicros().getTotalCount()).isEqualTo(clicks);
    assertThat(result.ok()).isEqualTo(views + clicks);
    assertThat(result.latencyMicros().getTotalCount()).isEqualTo(views + clicks);
    assertThat(result.failed()).isEqualTo(purchases);
    assertThat(campaigns.keySet()).isSubsetOf(CAMPAIGNS);
    assertThat(result.qps()).isPositive();
  }

  @Test
  void theFloorAsksForTheViewListOnly() {
    QueryLoad.Result result =
        QueryLoad.run(client, QueryLoad.viewList(), 2, Duration.ofMillis(300), SELF);

    assertThat(asked.keySet()).containsExactly("list");
    assertThat(result.ok()).isEqualTo(count("list")).isPositive();
    assertThat(result.localMicros().getTotalCount()).isEqualTo(result.ok());
    assertThat(result.routedMicros().getTotalCount()).isZero();
    assertThat(result.failed()).isZero();
  }

  @Test
  void windowsAsksForRandomKeysOfTheYsbView() {
    QueryLoad.Queries queries = QueryLoad.windows(CAMPAIGNS);
    SplittableRandom random = new SplittableRandom(7);
    Map<String, Long> types =
        IntStream.range(0, 300)
            .mapToObj(i -> params(URI.create(queries.next(random))).get("type"))
            .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
    assertThat(types.keySet()).containsExactlyInAnyOrderElementsOf(Ysb.EVENT_TYPES);
  }

  private long count(String type) {
    AtomicLong n = asked.get(type);
    return n == null ? 0 : n.get();
  }

  private static void served(HttpExchange exchange, String by)
      throws IOException {
    exchange.getResponseHeaders().add(QueryLoad.SERVED_BY, by);
    LocalHttpServer.answer(exchange, 200, "{}");
  }

  private static Map<String, String> params(URI uri) {
    return Arrays.stream(uri.getRawQuery().split("&"))
        .map(pair -> pair.split("=", 2))
        .collect(Collectors.toMap(pair -> pair[0], pair -> pair[1]));
  }
}
