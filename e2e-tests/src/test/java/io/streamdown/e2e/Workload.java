package io.streamdown.e2e;

import io.streamdown.schemas.Json;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * A known set of events over four sources and two types in two one-minute windows, and what
 * every view must compute from it. Values are whole numbers so sums are exact in any order.
 *
 * <p>Event times lie within 20 s around a window boundary, less than two grace periods, so no
 * event of the workload can be late whatever order the partitions are processed in.
 */
final class Workload {

  static final List<String> SOURCES = List.of("boiler-1", "boiler-2", "boiler-3", "boiler-4");
  static final List<String> TYPES = List.of("temp", "pressure");
  /** boiler-4 has no reference data: its events pass unenriched. */
  static final Map<String, String> REGIONS =
      Map.of("boiler-1", "eu-west", "boiler-2", "eu-west", "boiler-3", "us-east");

  record Posted(String eventId, String source, String type, long time, long value) {

    /** The event as a client posts it. */
    String json() {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("eventId", eventId);
      body.put("source", source);
      body.put("type", type);
      body.put("time", time);
      body.put("value", value);
      return Json.MAPPER.writeValueAsString(body);
    }
  }

  final long base;
  final List<Posted> events = new ArrayList<>();

  Workload(long base, int count, long seed) {
    this.base = base;
    Random random = new Random(seed);
    for (int i = 0; i < count; i++) {
      String source = SOURCES.get(random.nextInt(SOURCES.size()));
      String type = TYPES.get(random.nextInt(TYPES.size()));
      long time = base + 50_000 + random.nextInt(20_000);
      long value = 1 + random.nextInt(1000);
      events.add(new Posted("e2e-" + i, source, type, time, value));
    }
    // Posted in event-time order, so no event is late relative to the others.
    events.sort(Comparator.comparingLong(Posted::time));
  }

  /** Expected values per group and window start of a view grouping by {@code groupOf}. */
  Map<List<String>, Map<Long, List<Long>>> expected(Function<Posted, List<String>> groupOf) {
    Map<List<String>, Map<Long, List<Long>>> result = new LinkedHashMap<>();
    for (Posted event : events) {
      List<String> group = groupOf.apply(event);
      if (group == null) {
        continue;
      }
      long windowStart = event.time() - Math.floorMod(event.time(), 60_000L);
      result
          .computeIfAbsent(group, g -> new TreeMap<>())
          .computeIfAbsent(windowStart, w -> new ArrayList<>())
          .add(event.value());
    }
    return result;
  }

  static List<String> bySource(Posted event) {
    return List.of(event.type(), event.source());
  }

  static List<String> byType(Posted event) {
    return List.of(event.type());
  }

  static List<String> byRegion(Posted event) {
    String region = REGIONS.get(event.source());
    return region == null ? null : List.of(event.type(), region);
  }

  /** {@code &field=value...} of a group key, values URL-encoded, to append to a query string. */
  static String keyParams(Map<String, String> key) {
    StringBuilder params = new StringBuilder();
    key.forEach(
        (field, value) ->
            params
                .append('&')
                .append(field)
                .append('=')
                .append(URLEncoder.encode(value, StandardCharsets.UTF_8)));
    return params.toString();
  }

  /** The quantile as the sketch defines it: the value of rank floor(q * (n - 1)). */
  static double exactQuantile(List<Long> values, double q) {
    List<Long> sorted = new ArrayList<>(values);
    sorted.sort(Long::compare);
    return sorted.get((int) Math.floor(q * (sorted.size() - 1)));
  }
}
