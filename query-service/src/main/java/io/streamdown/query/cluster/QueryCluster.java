package io.streamdown.query.cluster;

import io.streamdown.query.query.StoreLocator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What routing needs to know about the instances of the query service, from Kafka Streams'
 * metadata. An interface, so routing and merging are tested with made-up clusters.
 */
public interface QueryCluster {

  /** This instance. */
  Instance self();

  /** Where an encoded group of a view lives; empty while no metadata is available. */
  Optional<KeyPlacement> placement(String view, String encodedGroup);

  /**
   * Every known instance (this one included) with the partitions of the view's store whose active
   * task it holds; an instance with only standbys maps to an empty set.
   */
  Map<Instance, Set<Integer>> activePartitions(String view);

  /** Every partition of the view's store that is known (0 .. count-1). */
  Set<Integer> partitions(String view);

  /** This instance's copy of a partition of the view's store, if it has one. */
  Optional<LocalReplica> localReplica(String view, int partition);

  /**
   * The stores of one partition: with {@code staleOk} any local copy (standby or restoring
   * active), otherwise only a running active task's.
   */
  StoreLocator stores(int partition, boolean staleOk);
}
