package io.streamdown.query.cluster;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Merging the parts of a scatter-gather {@code top}: every part ranks the groups of the
 * partitions it answered for, so the merged ranking is the best {@code limit} of all parts'
 * entries under the same order (metric highest first, groups without a value last, ties by
 * encoded group key). Parts must rank the same window: {@link #latestEnd} finds the one the
 * parts that are behind are asked again for.
 */
public final class TopMerge {

  private TopMerge() {}

  /**
   * One part of a {@code top} answer.
   *
   * @param windowStart start of the ranked window, null when the part's partitions have no window
   * @param windowEnd end of the ranked window (the reference instant of sliding and session
   *     views), null likewise
   * @param entries the part's best entries, any order
   * @param partitions the partitions the part answered for
   */
  public record Part<E>(
      Long windowStart, Long windowEnd, List<E> entries, Set<Integer> partitions) {

    public Part {
      entries = List.copyOf(entries);
      partitions = Set.copyOf(partitions);
    }

    public boolean hasWindow() {
      return windowEnd != null;
    }
  }

  /** The latest window end among the parts that have a window. */
  public static OptionalLong latestEnd(Collection<? extends Part<?>> parts) {
    return parts.stream()
        .filter(Part::hasWindow)
        .mapToLong(Part::windowEnd)
        .max();
  }

  /** Whether a part ranked an older window than {@code end} (it must be asked again). */
  public static boolean behind(Part<?> part, long end) {
    return part.hasWindow() && part.windowEnd() < end;
  }

  /** The best {@code limit} entries of all parts. */
  public static <E> List<E> merge(
      Collection<? extends Part<E>> parts,
      Function<E, Double> metric,
      Function<E, String> encodedKey,
      int limit) {
    Comparator<E> order =
        Comparator.comparing(metric, Comparator.nullsLast(Comparator.<Double>reverseOrder()))
            .thenComparing(encodedKey);
    List<E> all = new ArrayList<>();
    parts.forEach(part -> all.addAll(part.entries()));
    all.sort(order);
    return List.copyOf(all.subList(0, Math.min(limit, all.size())));
  }

  /** The partitions of {@code all} that no part answered for, ascending. */
  public static List<Integer> missing(Set<Integer> all, Collection<? extends Part<?>> parts) {
    Set<Integer> missing = new TreeSet<>(Objects.requireNonNull(all, "all"));
    parts.forEach(part -> missing.removeAll(part.partitions()));
    return List.copyOf(missing);
  }
}
