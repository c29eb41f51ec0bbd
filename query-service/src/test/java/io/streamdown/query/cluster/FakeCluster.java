package io.streamdown.query.cluster;

import io.streamdown.query.query.StoreLocator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * A made-up cluster: which instance holds which partition, active or standby, and how far this
 * instance's copies lag. Keys are placed by a function of the encoded group (tests pick it).
 */
public final class FakeCluster implements QueryCluster {

  private final Instance self;
  private final int partitions;
  private final Function<String, Integer> partitionOf;
  private final Map<Integer, Instance> active = new HashMap<>();
  private final Map<Integer, Set<Instance>> standbys = new HashMap<>();
  private final Map<Integer, Long> localLag = new HashMap<>();
  private final List<Integer> storesAsked = new ArrayList<>();
  private StoreLocator stores;

  public FakeCluster(Instance self, int partitions, Function<String, Integer> partitionOf) {
    this.self = self;
    this.partitions = partitions;
    this.partitionOf = partitionOf;
  }

  /** One instance holding every partition of one. */
  public static FakeCluster standalone(Instance self) {
    return new FakeCluster(self, 1, key -> 0).active(0, self);
  }

  public FakeCluster active(int partition, Instance instance) {
    active.put(partition, instance);
    return this;
  }

  public FakeCluster standby(int partition, Instance instance) {
    standbys.computeIfAbsent(partition, p -> new java.util.HashSet<>()).add(instance);
    return this;
  }

  /** Takes a standby copy away, as a rebalance does. */
  public FakeCluster dropStandby(int partition, Instance instance) {
    standbys.getOrDefault(partition, new java.util.HashSet<>()).remove(instance);
    return this;
  }

  public FakeCluster lag(int partition, long offsets) {
    localLag.put(partition, offsets);
    return this;
  }

  public FakeCluster stores(StoreLocator stores) {
    this.stores = stores;
    return this;
  }

  /** The partitions whose stores were asked for, in order. */
  public List<Integer> storesAsked() {
    return storesAsked;
  }

  @Override
  public Instance self() {
    return self;
  }

  @Override
  public Optional<KeyPlacement> placement(String view, String encodedGroup) {
    int partition = partitionOf.apply(encodedGroup);
    return Optional.of(
        new KeyPlacement(
            partition, active.get(partition), standbys.getOrDefault(partition, Set.of())));
  }

  @Override
  public Map<Instance, Set<Integer>> activePartitions(String view) {
    Map<Instance, Set<Integer>> result = new LinkedHashMap<>();
    active.forEach(
        (partition, instance) ->
            result.computeIfAbsent(instance, i -> new TreeSet<>()).add(partition));
    standbys
        .values()
        .forEach(set -> set.forEach(i -> result.computeIfAbsent(i, x -> new TreeSet<>())));
    return result;
  }

  @Override
  public Set<Integer> partitions(String view) {
    Set<Integer> all = new TreeSet<>();
    for (int i = 0; i < partitions; i++) {
      all.add(i);
    }
    return all;
  }

  @Override
  public Optional<LocalReplica> localReplica(String view, int partition) {
    boolean isActive = self.equals(active.get(partition));
    boolean isStandby = standbys.getOrDefault(partition, Set.of()).contains(self);
    if (!isActive && !isStandby) {
      return Optional.empty();
    }
    return Optional.of(new LocalReplica(isActive, localLag.getOrDefault(partition, 0L)));
  }

  @Override
  public StoreLocator stores(int partition, boolean staleOk) {
    storesAsked.add(partition);
    return stores;
  }
}
