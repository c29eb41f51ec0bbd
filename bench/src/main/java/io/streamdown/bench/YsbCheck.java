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
 * none extra. Events of requests that failed in a way that may still have written them (see {@link
 * YsbLoad}) may be counted or not, so a cell may exceed its count by at most its uncertain events.
 * Polls until they match or the deadline passes (the pipeline is asynchronous), then reports the
 * differences.
 */
public final class YsbCheck {

  /**
   * The outcome; {@code mismatches} lists at most a few differences, {@code uncertainEvents} is
   * how many events may or may not have been counted.
   */
  public record Outcome(
      boolean correct,
      int windows,
      int cells,
      long events,
      long uncertainEvents,
      List<String> mismatches) {}

  private YsbCheck() {}

  public static Outcome await(StackClient client, YsbCounts expected, Duration deadline) {
    long end = System.nanoTime() + deadline.toNanos();
    Outcome outcome;
    while (true) {
      outcome = compare(client, expected.snapshot(), expected.uncertainSnapshot());
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

  static Outcome compare(
      StackClient client,
      Map<YsbCounts.Cell, Long> expected,
      Map<YsbCounts.Cell, Long> uncertain) {
    Map<Long, Map<List<String>, Long>> byWindow = byWindow(expected);
    Map<Long, Map<List<String>, Long>> maybeByWindow = byWindow(uncertain);
    TreeSet<Long> windows = new TreeSet<>(byWindow.keySet());
    windows.addAll(maybeByWindow.keySet());
    List<String> mismatches = new ArrayList<>();
    long events = 0;
    for (long window : windows) {
      Map<List<String>, Long> want = byWindow.getOrDefault(window, Map.of());
      Map<List<String>, Long> maybe = maybeByWindow.getOrDefault(window, Map.of());
      Map<List<String>, Long> actual = client.ysbWindow(window);
      TreeSet<String> keys = new TreeSet<>();
      want.keySet().forEach(k -> keys.add(String.join("/", k)));
      actual.keySet().forEach(k -> keys.add(String.join("/", k)));
      for (String key : keys) {
        List<String> parts = List.of(key.split("/", 2));
        long least = want.getOrDefault(parts, 0L);
        long most = least + maybe.getOrDefault(parts, 0L);
        long got = actual.getOrDefault(parts, 0L);
        if ((got < least || got > most) && mismatches.size() < 10) {
          mismatches.add(
              "window " + window + " " + key + ": expected " + range(least, most) + ", served "
                  + got);
        }
      }
      events += want.values().stream().mapToLong(Long::longValue).sum();
      if (!mismatches.isEmpty()) {
        break;
      }
    }
    long uncertainEvents = uncertain.values().stream().mapToLong(Long::longValue).sum();
    return new Outcome(
        mismatches.isEmpty(), windows.size(), expected.size(), events, uncertainEvents, mismatches);
  }

  private static Map<Long, Map<List<String>, Long>> byWindow(Map<YsbCounts.Cell, Long> cells) {
    Map<Long, Map<List<String>, Long>> byWindow = new TreeMap<>();
    cells.forEach(
        (cell, count) ->
            byWindow
                .computeIfAbsent(cell.windowStart(), w -> new HashMap<>())
                .put(List.of(cell.eventType(), cell.campaignId()), count));
    return byWindow;
  }

  private static String range(long least, long most) {
    return least == most ? Long.toString(least) : least + " to " + most;
  }
}
