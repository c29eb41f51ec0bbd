package io.streamdown.schemas;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * How {@code events.enriched} is keyed and partitioned ({@code streamdown.enriched-key}), the
 * contract between enrich, which writes the key, and aggregate, which relies on it.
 *
 * <p>By default ({@link Mode#FIRST_VIEW}) enrich keys each event by its group key in the first
 * view of {@code streamdown.views}, partitions it as aggregate's repartition topic of that view
 * would ({@link AggregatePartitioner#forGroupKeysOf}), and marks it with the header {@link
 * #HEADER} naming the view. An event already sits in the partition, and so the task, that owns
 * its group: aggregate adds it to that view's windows without the repartition topic, which saves
 * one exactly-once hop (a commit interval of latency and a write and read of every event). An
 * event that lacks a group-by field keeps its source as key and gets no header.
 *
 * <p>Aggregate takes the short path only for a record whose header names the view and whose key
 * is the group key that aggregate itself computes from the event; anything else (events written
 * by a version or configuration that keyed by source, or with another definition of the view)
 * takes the repartition topic as before, so a disagreement between the services costs speed,
 * never correctness. Every other view is repartitioned as before.
 */
public final class EnrichedKeying {

  /** Header of a record keyed by its group in the named view (value: the view name, UTF-8). */
  public static final String HEADER = "streamdown.grouped-by";

  /** The setting {@code streamdown.enriched-key}. */
  public enum Mode {
    /** Keyed by the event's group in the first view of {@code streamdown.views} (default). */
    FIRST_VIEW,
    /** Keyed by source, as {@code events.raw}; every view repartitions. */
    SOURCE;

    /** The mode of a setting, {@link #FIRST_VIEW} where it is not set. */
    public static Mode orDefault(Mode mode) {
      return mode == null ? FIRST_VIEW : mode;
    }
  }

  private final ViewDefinition view;
  private final List<FieldPath> paths;
  private final byte[] mark;

  private EnrichedKeying(ViewDefinition view) {
    this.view = view;
    this.paths = view.fieldPaths();
    this.mark = view.name().getBytes(StandardCharsets.UTF_8);
  }

  /** The keying of {@code mode} among {@code views}; empty when events stay keyed by source. */
  public static Optional<EnrichedKeying> of(Mode mode, List<ViewDefinition> views) {
    if (mode == Mode.SOURCE || views == null || views.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new EnrichedKeying(views.get(0)));
  }

  /** The view whose groups key the events. */
  public ViewDefinition view() {
    return view;
  }

  /** The event's encoded group key in the view, or null when it lacks a group-by field. */
  public String groupKeyOf(EnrichedEvent enriched) {
    GroupKey key = GroupKey.of(paths, enriched);
    return key == null ? null : key.encode();
  }

  /** Marks {@code headers} as keyed by the view, replacing any earlier mark. */
  public void mark(Headers headers) {
    headers.remove(HEADER);
    headers.add(HEADER, mark);
  }

  /** Removes any mark, for a record that keeps its source as key. */
  public static void unmark(Headers headers) {
    headers.remove(HEADER);
  }

  /** Whether {@code headers} say the record is keyed by its group in this view. */
  public boolean marked(Headers headers) {
    Header header = headers.lastHeader(HEADER);
    return header != null && Arrays.equals(header.value(), mark);
  }
}
