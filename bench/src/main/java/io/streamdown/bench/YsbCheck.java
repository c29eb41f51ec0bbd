package io.streamdown.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The YSB correctness check: for every window that received events, the counts the query API serves
 * per (event type, campaign) equal the offline count of what was accepted, with no cell missing and
 * none extra. Polls until they match or the deadline passes (the pipeline is asynchronous), then
 * reports the differences.
 */
public final class YsbCheck {

  /** The outcome; {@code mismatches} lists at most a few differences. */
  public record Outcome(
      boolean correct, int windows, int cells, long events, List<String> mismatches) {}

  private YsbCheck() {}

  public static Outcome await(StackClient client, YsbCounts expected, Duration deadline) {
    long end = System.nanoTime() + deadline.toNanos();
    Outcome outcome;
    while (true) {
      outcome = compare(client, expected.snapshot());
      if (outcome.correct() || System.nanoTime() > end) {
        return outcome;
      }
      try {
        Thread.sleep(500); // polling interval of a deadline loop, not synchronization
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return outcome;
      }
    }
  }

  static Outcome compare(StackClient client, Map<YsbCounts.Cell, Long> expected) {
    Map<Long, Map<List<String>, Long>> byWindow = new TreeMap<>();
    expected.forEach(
        (cell, count) ->
            byWindow
                .computeIfAbsent(cell.windowStart(), w -> new HashMap<>())
                .put(List.of(cell.eventType(), cell.campaignId()), count));
    List<String> mismatches = new ArrayList<>();
    long events = 0;
    for (Map.Entry<Long, Map<List<String>, Long>> window : byWindow.entrySet()) {
      Map<List<String>, Long> actual = new HashMap<>(client.ysbWindow(window.getKey()));
      actual.keySet().removeIf(key -> !Ysb.EVENT_TYPES.contains(key.get(0)));
      TreeSet<String> keys = new TreeSet<>();
      window.getValue().keySet().forEach(k -> keys.add(String.join("/", k)));
      actual.keySet().forEach(k -> keys.add(String.join("/", k)));
      for (String key : keys) {
        List<String> parts = List.of(key.split("/", 2));
        long want = window.getValue().getOrDefault(parts, 0L);
        long got = actual.getOrDefault(parts, 0L);
        if (want != got && mismatches.size() < 10) {
          mismatches.add(
              "window " + window.getKey() + " " + key + ": expected " + want + ", served " + got);
        }
      }
      events += window.getValue().values().stream().mapToLong(Long::longValue).sum();
      if (!mismatches.isEmpty()) {
        break;
      }
    }
    return new Outcome(mismatches.isEmpty(), byWindow.size(), expected.size(), events, mismatches);
  }
}
