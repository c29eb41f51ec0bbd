package io.streamdown.query.api;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.streamdown.query.config.QuerySettings;
import io.streamdown.query.config.StreamdownSettings;
import io.streamdown.query.query.TopMetric;
import io.streamdown.schemas.EpochMillisDeserializer;
import io.streamdown.schemas.EventLimits;
import io.streamdown.schemas.GroupKey;
import io.streamdown.schemas.ViewDefinition;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;
import org.springframework.stereotype.Service;
import org.springframework.util.MultiValueMap;

/**
 * The HTTP API's service layer: checks a request against its view (known view, no unknown or
 * repeated parameters, every key field and its value, valid times and limits)
 * and hands it to {@link PointRouter} (a group's windows or roll-up, answered where the group's
 * partition is) or {@link TopScatter} ({@code top}, asked of every instance). Every rejection is
 * a problem detail (4xx); when no instance can answer, a 503 with Retry-After.
 */
@Service
class QueryApi {

  static final String FROM = "from";
  static final String TO = "to";
  static final String BY = "by";
  static final String LIMIT = "limit";
  static final String AT = "at";
  static final String MAX_LAG = "maxLag";

  /**
   * The longest value of a key field: the longest group value an event can produce (a string
   * attribute, {@link EventLimits#MAX_ATTRIBUTE_STRING_LENGTH}).
   */
  static final int MAX_KEY_VALUE_LENGTH = EventLimits.MAX_ATTRIBUTE_STRING_LENGTH;

  private final StreamdownSettings streamdown;
  private final QuerySettings settings;
  private final PointRouter router;
  private final TopScatter scatter;
  private final Clock clock;
  private final MeterRegistry registry;

  QueryApi(
      StreamdownSettings streamdown,
      QuerySettings settings,
      PointRouter router,
      TopScatter scatter,
      Clock clock,
      MeterRegistry registry) {
    this.streamdown = streamdown;
    this.settings = settings;
    this.router = router;
    this.scatter = scatter;
    this.clock = clock;
    this.registry = registry;
  }

  List<ViewResponse> views() {
    return timed(
        "views",
        views -> ServedBy.LOCAL,
        () -> streamdown.views().stream().map(ViewResponse::of).toList());
  }

  Answer windows(String viewName, MultiValueMap<String, String> params, Inbound inbound) {
    return timed(
        "windows",
        Answer::route,
        () -> {
          ViewDefinition view = view(viewName);
          GroupRange request = groupRange(view, params);
          return router.route(
              view,
              request.group(),
              request.maxLag(),
              inbound,
              queries -> queries.windows(view, request.group(), request.from(), request.to()),
              (series, servedBy) ->
                  new WindowsResponse(
                      view.name(),
                      request.key(),
                      Times.format(request.from()),
                      Times.format(request.to()),
                      series.truncated(),
                      series.windows().stream().map(WindowEntry::of).toList(),
                      servedBy));
        });
  }

  Answer rollup(String viewName, MultiValueMap<String, String> params, Inbound inbound) {
    return timed(
        "rollup",
        Answer::route,
        () -> {
          ViewDefinition view = view(viewName);
          GroupRange request = groupRange(view, params);
          return router.route(
              view,
              request.group(),
              request.maxLag(),
              inbound,
              queries -> queries.rollup(view, request.group(), request.from(), request.to()),
              (rollup, servedBy) ->
                  RollupResponse.of(
                      view.name(), request.key(), request.from(), request.to(), rollup,
                      servedBy));
        });
  }

  Answer top(String viewName, MultiValueMap<String, String> params, Inbound inbound) {
    return timed(
        "top",
        Answer::route,
        () -> {
          ViewDefinition view = view(viewName);
          rejectUnknownOrRepeated(params, Set.of(BY, LIMIT, AT, MAX_LAG));
          TopMetric by = metric(single(params, BY));
          int limit = limit(single(params, LIMIT));
          maxLag(single(params, MAX_LAG)); // validated; top reads active tasks only (lag 0)
          String atText = single(params, AT);
          OptionalLong at =
              atText == null ? OptionalLong.empty() : OptionalLong.of(time(AT, atText));
          return scatter.top(view, by, limit, at, inbound, params);
        });
  }

  /**
   * Checks a stream request (known view, every key field, nothing else) and returns its view and
   * group.
   */
  StreamRequest streamRequest(String viewName, MultiValueMap<String, String> params) {
    ViewDefinition view = view(viewName);
    Set<String> allowed = new TreeSet<>(view.groupBy());
    rejectUnknownOrRepeated(params, allowed);
    Group group = groupOf(view, params);
    return new StreamRequest(view, group.group(), group.key());
  }

  /** A checked stream request. */
  record StreamRequest(ViewDefinition view, GroupKey group, Map<String, String> key) {}

  private ViewDefinition view(String name) {
    return streamdown
        .view(name)
        .orElseThrow(
            () ->
                ApiProblems.unknownView(
                    name, streamdown.views().stream().map(ViewDefinition::name).toList()));
  }

  /** The group and time range of a windows or rollup request. */
  private record GroupRange(
      GroupKey group, Map<String, String> key, long from, long to, OptionalLong maxLag) {}

  private record Group(GroupKey group, Map<String, String> key) {}

  private GroupRange groupRange(ViewDefinition view, MultiValueMap<String, String> params) {
    Set<String> allowed = new TreeSet<>(view.groupBy());
    allowed.add(FROM);
    allowed.add(TO);
    allowed.add(MAX_LAG);
    rejectUnknownOrRepeated(params, allowed);
    Group group = groupOf(view, params);
    Map<String, String> key = group.key();
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
    return new GroupRange(group.group(), key, from, to, maxLag(single(params, MAX_LAG)));
  }

  /** The group of a request: every key field present, each a sane value. */
  private static Group groupOf(ViewDefinition view, MultiValueMap<String, String> params) {
    List<String> missing =
        view.groupBy().stream().filter(field -> !params.containsKey(field)).toList();
    if (!missing.isEmpty()) {
      throw ApiProblems.badRequest(
          "Missing key field",
          "view '" + view.name() + "' needs the key field(s) " + String.join(", ", missing),
          Map.of("missingFields", missing, "groupBy", view.groupBy()));
    }
    Map<String, String> key = new LinkedHashMap<>();
    for (String field : view.groupBy()) {
      String value = params.getFirst(field);
      String problem = keyValueProblem(value);
      if (problem != null) {
        throw ApiProblems.badRequest(
            "Invalid key field",
            "key field " + field + " " + problem,
            Map.of("parameter", field, "maxLength", MAX_KEY_VALUE_LENGTH));
      }
      key.put(field, value);
    }
    return new Group(new GroupKey(List.copyOf(key.values())), key);
  }

  /** Why a key field's value cannot be a group value, or null when it can. */
  private static String keyValueProblem(String value) {
    if (value == null) {
      return "has no value";
    }
    if (value.length() > MAX_KEY_VALUE_LENGTH) {
      return "is longer than " + MAX_KEY_VALUE_LENGTH + " characters";
    }
    for (int i = 0; i < value.length(); i++) {
      if (Character.isISOControl(value.charAt(i))) {
        return "contains a control character";
      }
    }
    return null;
  }

  /** The tolerated lag of a stale read, in offsets; empty when any lag is fine. */
  private static OptionalLong maxLag(String text) {
    if (text == null) {
      return OptionalLong.empty();
    }
    try {
      long lag = Long.parseLong(text.trim());
      if (lag >= 0) {
        return OptionalLong.of(lag);
      }
    } catch (NumberFormatException e) {
      // the problem below
    }
    throw ApiProblems.badRequest(
        "Invalid maxLag",
        "maxLag must be a whole number of offsets, 0 or more: " + text,
        Map.of("parameter", MAX_LAG));
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

  private <T> T timed(String endpoint, Function<T, String> routeOf, Supplier<T> call) {
    Timer.Sample sample = Timer.start(registry);
    String route = ServedBy.LOCAL; // what a rejected or unanswerable request counts under
    try {
      T answer = call.get();
      route = routeOf.apply(answer);
      return answer;
    } finally {
      sample.stop(
          Timer.builder("streamdown.query.requests")
              .description("Query API requests, by endpoint and route")
              .tag("endpoint", endpoint)
              .tag("route", route)
              .register(registry));
    }
  }
}
