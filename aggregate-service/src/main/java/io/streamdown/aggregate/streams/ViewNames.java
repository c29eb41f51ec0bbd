package io.streamdown.aggregate.streams;

/**
 * The names of a view's processors, store and repartition topic, all derived from the view name
 * ({@code view-<name>-...}). Store and repartition names are part of the changelog and
 * repartition topic names, so they are a contract: renaming a view starts it afresh.
 *
 * <p>No suffix here ends with another one, so two views can never produce the same name.
 *
 * @param view the view's name
 */
public record ViewNames(String view) {

  private String name(String suffix) {
    return "view-" + view + "-" + suffix;
  }

  /**
   * The processor that computes the group key (and skips unkeyed events); in the view that keys
   * {@code events.enriched}, the one that keys the records enrich did not key for it.
   */
  public String groupKey() {
    return name("group-key");
  }

  /**
   * The processor that notes, on a record about to take the repartition topic, the partition of
   * {@code events.enriched} it was read from ({@link RegroupOrigin}).
   */
  public String regroupOrigin() {
    return name("regroup-origin");
  }

  /** The repartition by group; the topic is {@code <application-id>-<this>-repartition}. */
  public String repartition() {
    return name("by-group");
  }

  /** Suffix of the branch of records enrich keyed by this view's group. */
  static final String KEYED = "-keyed";

  /** Suffix of the branch of all other records. */
  static final String OTHER = "-other";

  /** The processor that checks whether enrich keyed a record by this view's group. */
  public String keyCheck() {
    return name("key-check");
  }

  /** The split by that check; its branches add {@link #KEYED} and {@link #OTHER}. */
  public String route() {
    return name("route");
  }

  /** The processor that takes a keyed record's contribution. */
  public String keyed() {
    return name("keyed-contribution");
  }

  /** The merge of keyed and repartitioned records. */
  public String merged() {
    return name("merged");
  }

  /** The processor that counts late events. */
  public String lateCheck() {
    return name("late-check");
  }

  public String grouped() {
    return name("grouped");
  }

  /** The window aggregation processor. */
  public String aggregate() {
    return name("aggregate");
  }

  /** The window store; its changelog is {@code <application-id>-<this>-changelog}. */
  public String store() {
    return name("store");
  }

  public String changes() {
    return name("changes");
  }

  public String output() {
    return name("output");
  }

  public String emitted() {
    return name("emitted");
  }

  /** The sink to the {@code aggregates} topic. */
  public String sink() {
    return name("sink");
  }
}
