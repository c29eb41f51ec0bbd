package io.streamdown.query.api;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.streamdown.query.config.QuerySettings;
import io.streamdown.query.config.StreamdownSettings;
import io.streamdown.query.query.AggregateQueries;
import io.streamdown.query.query.QueryResult;
import io.streamdown.query.query.Rollup;
import io.streamdown.query.query.TopMetric;
import io.streamdown.query.query.TopWindow;
import io.streamdown.query.query.WindowSeries;
import io.streamdown.schemas.EpochMillisDeserializer;
import io.streamdown.schemas.GroupKey;
import io.streamdown.schemas.ViewDefinition;
import io.streamdown.schemas.WindowAggregate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.springframework.stereotype.Service;
import org.springframework.util.MultiValueMap;

/**
 * The HTTP API's service layer: checks a request against its view (known view, no unknown or
 * repeated parameters, every key field, valid times and limits), asks {@link AggregateQueries}
 * and shapes the answer. Every rejection is a problem detail (4xx); an unavailable store is a
 * 503 with Retry-After.
 */
@Service
class QueryApi {

  static final String FROM = "from";
  static final String TO = "to";
  static final String BY = "by";
  static final String LIMIT = "limit";
  static final String AT = "at";

  private final StreamdownSettings streamdown;
  private final QuerySettings settings;
  private final AggregateQueries queries;
  private final Clock clock;
  private final MeterRegistry registry;

  QueryApi(
      StreamdownSettings streamdown,
      QuerySettings settings,
      AggregateQueries queries,
      Clock clock,
      MeterRegistry registry) {
    this.streamdown = streamdown;
    this.settings = settings;
    this.queries = queries;
    this.clock = clock;
    this.registry = registry;
  }

  List<ViewResponse> views() {
    return timed("views", () -> streamdown.views().stream().map(ViewResponse::of).toList());
  }

  WindowsResponse windows(String viewName, MultiValueMap<String, String> params) {
    return timed(
        "windows",
        () -> {
          ViewDefinition view = view(viewName);
          GroupRange request = groupRange(view, params);
          WindowSeries series =
              answer(queries.windows(view, request.group(), request.from(), request.to()));
          return new WindowsResponse(
              view.name(),
              request.key(),
              Times.format(request.from()),
              Times.format(request.to()),
              series.truncated(),
              series.windows().stream().map(WindowEntry::of).toList());
        });
  }

  RollupResponse rollup(String viewName, MultiValueMap<String, String> params) {
    return timed(
        "rollup",
        () -> {
          ViewDefinition view = view(viewName);
          GroupRange request = groupRange(view, params);
          Rollup rollup =
              answer(queries.rollup(view, request.group(), request.from(), request.to()));
          return RollupResponse.of(
              view.name(), request.key(), request.from(), request.to(), rollup);
        });
  }

  TopResponse top(String viewName, MultiValueMap<String, String> params) {
    return timed(
        "top",
        () -> {
          ViewDefinition view = view(viewName);
          rejectUnknownOrRepeated(params, Set.of(BY, LIMIT, AT));
          TopMetric by = metric(single(params, BY));
          int limit = limit(single(params, LIMIT));
          String atText = single(params, AT);
          OptionalLong at =
              atText == null ? OptionalLong.empty() : OptionalLong.of(time(AT, atText));
          TopWindow top = answer(queries.top(view, by, limit, at));
          List<TopResponse.Entry> entries = new ArrayList<>();
          for (TopWindow.Entry entry : top.entries()) {
            WindowAggregate aggregate = entry.aggregate();
            entries.add(
                new TopResponse.Entry(
                    entries.size() + 1,
                    keyOf(view, entry.key()),
                    aggregate.count(),
                    aggregate.valueCount(),
                    aggregate.sum(),
                    aggregate.min(),
                    aggregate.max(),
                    aggregate.mean(),
                    Quantiles.of(aggregate).p99()));
          }
          return new TopResponse(
              view.name(),
              top.windowStart() == null ? null : Times.format(top.windowStart()),
              top.windowEnd() == null ? null : Times.format(top.windowEnd()),
              by.apiName(),
              limit,
              entries);
        });
  }

  private ViewDefinition view(String name) {
    return streamdown
        .view(name)
        .orElseThrow(
            () ->
                ApiProblems.unknownView(
                    name, streamdown.views().stream().map(ViewDefinition::name).toList()));
  }

  /** The group and time range of a windows or rollup request. */
  private record GroupRange(GroupKey group, Map<String, String> key, long from, long to) {}

  private GroupRange groupRange(ViewDefinition view, MultiValueMap<String, String> params) {
    Set<String> allowed = new TreeSet<>(view.groupBy());
    allowed.add(FROM);
    allowed.add(TO);
    rejectUnknownOrRepeated(params, allowed);
    List<String> missing =
        view.groupBy().stream().filter(field -> !params.containsKey(field)).toList();
    if (!missing.isEmpty()) {
      throw ApiProblems.badRequest(
          "Missing key field",
          "view '" + view.name() + "' needs the key field(s) " + String.join(", ", missing),
          Map.of("missingFields", missing, "groupBy", view.groupBy()));
    }
    Map<String, String> key = new LinkedHashMap<>();
    view.groupBy().forEach(field -> key.put(field, params.getFirst(field)));
    String fromText = single(params, FROM);
    String toText = single(params, TO);
    long to = toText == null ? clock.millis() : time(TO, toText);
    long defaultSpan = Math.min(view.retention().toMillis(), settings.maxRange().toMillis());
    long from = fromText == null ? to - defaultSpan : time(FROM, fromText);
    if (from > to) {
      throw ApiProblems.badRequest(
          "Invalid time range",
          "from (" + Times.format(from) + ") is after to (" + Times.format(to) + ")",
          Map.of(FROM, Times.format(from), TO, Times.format(to)));
    }
    if (to - from > settings.maxRange().toMillis()) {
      throw ApiProblems.badRequest(
          "Time range too long",
          "the range from..to may span at most " + settings.maxRange(),
          Map.of("maxRange", settings.maxRange().toString()));
    }
    return new GroupRange(new GroupKey(List.copyOf(key.values())), key, from, to);
  }

  private static void rejectUnknownOrRepeated(
      MultiValueMap<String, String> params, Set<String> allowed) {
    Set<String> unknown = new TreeSet<>(params.keySet());
    unknown.removeAll(allowed);
    if (!unknown.isEmpty()) {
      throw ApiProblems.badRequest(
          "Unknown query parameter",
          "unknown query parameter(s) "
              + String.join(", ", unknown)
              + "; allowed: "
              + String.join(", ", new TreeSet<>(allowed)),
          Map.of("unknownParameters", List.copyOf(unknown), "allowed", new TreeSet<>(allowed)));
    }
    params.forEach(
        (name, values) -> {
          if (values.size() > 1) {
            throw ApiProblems.badRequest(
                "Repeated query parameter",
                "query parameter " + name + " may be given once",
                Map.of("parameter", name));
          }
        });
  }

  /** The parameter's value; null when absent or blank (blank means "use the default"). */
  private static String single(MultiValueMap<String, String> params, String name) {
    String value = params.getFirst(name);
    return value == null || value.isBlank() ? null : value;
  }

  private static long time(String parameter, String text) {
    try {
      // A '+' of an offset that was not URL-encoded arrives as a space.
      return EpochMillisDeserializer.parse(text.replace(' ', '+'));
    } catch (IllegalArgumentException e) {
      throw ApiProblems.badRequest(
          "Invalid time",
          parameter + " must be an RFC 3339 timestamp with offset or epoch millis: " + text,
          Map.of("parameter", parameter));
    }
  }

  private static TopMetric metric(String text) {
    if (text == null) {
      return TopMetric.COUNT;
    }
    return TopMetric.parse(text)
        .orElseThrow(
            () ->
                ApiProblems.badRequest(
                    "Invalid ranking metric",
                    "by must be one of " + TopMetric.names() + ": " + text,
                    Map.of("parameter", BY)));
  }

  private int limit(String text) {
    if (text == null) {
      return settings.defaultTopLimit();
    }
    int limit;
    try {
      limit = Integer.parseInt(text.trim());
    } catch (NumberFormatException e) {
      limit = -1;
    }
    if (limit < 1 || limit > settings.maxTopLimit()) {
      throw ApiProblems.badRequest(
          "Invalid limit",
          "limit must be a whole number from 1 to " + settings.maxTopLimit() + ": " + text,
          Map.of("parameter", LIMIT, "maxLimit", settings.maxTopLimit()));
    }
    return limit;
  }

  private static Map<String, String> keyOf(ViewDefinition view, GroupKey group) {
    Map<String, String> key = new LinkedHashMap<>();
    for (int i = 0; i < view.groupBy().size(); i++) {
      key.put(view.groupBy().get(i), i < group.values().size() ? group.values().get(i) : null);
    }
    return key;
  }

  private <T> T answer(QueryResult<T> result) {
    if (result instanceof QueryResult.Found<T> found) {
      return found.value();
    }
    QueryResult.Unavailable<T> unavailable = (QueryResult.Unavailable<T>) result;
    long seconds =
        unavailable.retryAfter() == null
            ? settings.retryAfterSeconds()
            : Math.max(1, (unavailable.retryAfter().toMillis() + 999) / 1000);
    throw ApiProblems.unavailable(unavailable.reason(), seconds);
  }

  private <T> T timed(String endpoint, Supplier<T> call) {
    Timer.Sample sample = Timer.start(registry);
    try {
      return call.get();
    } finally {
      sample.stop(
          Timer.builder("streamdown.query.requests")
              .description("Query API requests, by endpoint")
              .tag("endpoint", endpoint)
              .register(registry));
    }
  }
}
