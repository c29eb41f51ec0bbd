package io.streamdown.query.cluster;

import io.streamdown.query.query.KafkaStreamsStoreLocator;
import io.streamdown.query.query.StoreLocator;
import io.streamdown.query.streams.QueryTopology;
import io.streamdown.schemas.AggregatePartitioner;
import java.time.Clock;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.LagInfo;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.state.HostInfo;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.stereotype.Component;

/**
 * {@link QueryCluster} over the service's own Kafka Streams client: placement from
 * {@code queryMetadataForKey}, the instances from {@code metadataForAllStreamsClients}, this
 * instance's replicas from its threads' tasks and their lag from
 * {@code allLocalStorePartitionLags}. That last call asks the broker for end offsets, so its
 * answer is reused for a second, but only while the client runs, has not changed state since
 * (a rebalance, even one this instance's queries never saw), and this instance holds the same
 * copies: a lag measured before a rebalance describes copies that may since have been dropped and
 * re-created empty. A running active task needs no lag at all (it is 0).
 */
@Component
public class KafkaStreamsCluster implements QueryCluster {

  private static final long LAG_CACHE_MILLIS = 1_000;

  private final StreamsBuilderFactoryBean factoryBean;
  private final AdvertisedInstance advertised;
  private final KafkaStreamsStoreLocator stores;
  private final ClientStateChanges stateChanges;
  private final Clock clock;
  private volatile int partitionCount;
  private volatile Lags lags = Lags.NONE;

  /**
   * Lags measured at {@code at}, after the client's {@code stateChanges}-th state change, while
   * this instance held {@code copies}.
   */
  private record Lags(
      long at,
      long stateChanges,
      LocalCopies copies,
      Map<String, Map<Integer, LagInfo>> byStore) {
    static final Lags NONE = new Lags(Long.MIN_VALUE, -1, LocalCopies.NONE, Map.of());
  }

  /** The partitions of this instance's active and standby tasks. */
  private record LocalCopies(Set<Integer> active, Set<Integer> standby) {
    static final LocalCopies NONE = new LocalCopies(Set.of(), Set.of());
  }

  public KafkaStreamsCluster(
      StreamsBuilderFactoryBean factoryBean,
      AdvertisedInstance advertised,
      KafkaStreamsStoreLocator stores,
      ClientStateChanges stateChanges,
      Clock clock) {
    this.factoryBean = factoryBean;
    this.advertised = advertised;
    this.stores = stores;
    this.stateChanges = stateChanges;
    this.clock = clock;
  }

  @Override
  public Instance self() {
    return advertised.get();
  }

  @Override
  public Optional<KeyPlacement> placement(String view, String encodedGroup) {
    KafkaStreams streams = usable();
    if (streams == null) {
      return Optional.empty();
    }
    KeyQueryMetadata metadata;
    try {
      metadata =
          streams.queryMetadataForKey(
              QueryTopology.windowStoreName(view),
              encodedGroup,
              AggregatePartitioner.<Object>forGroupKeysOf(view));
    } catch (StreamsException | IllegalStateException e) {
      return Optional.empty();
    }
    if (metadata == null || metadata.equals(KeyQueryMetadata.NOT_AVAILABLE)
        || metadata.partition() < 0) {
      return Optional.empty();
    }
    HostInfo active = metadata.activeHost();
    Instance activeInstance =
        active == null || active.equals(HostInfo.unavailable()) ? null : Instance.of(active);
    Set<Instance> standbys =
        metadata.standbyHosts().stream().map(Instance::of).collect(Collectors.toSet());
    return Optional.of(new KeyPlacement(metadata.partition(), activeInstance, standbys));
  }

  @Override
  public Map<Instance, Set<Integer>> activePartitions(String view) {
    Map<Instance, Set<Integer>> result = new LinkedHashMap<>();
    KafkaStreams streams = usable();
    if (streams == null) {
      return result;
    }
    String store = QueryTopology.windowStoreName(view);
    for (StreamsMetadata client : clients(streams)) {
      if (!client.stateStoreNames().contains(store)
          && !client.standbyStateStoreNames().contains(store)) {
        continue;
      }
      Set<Integer> partitions = new TreeSet<>();
      client.topicPartitions().forEach(tp -> partitions.add(tp.partition()));
      result.put(Instance.of(client.hostInfo()), partitions);
      notePartitions(client.topicPartitions());
      notePartitions(client.standbyTopicPartitions());
    }
    return result;
  }

  @Override
  public Set<Integer> partitions(String view) {
    KafkaStreams streams = usable();
    if (streams != null) {
      for (StreamsMetadata client : clients(streams)) {
        notePartitions(client.topicPartitions());
        notePartitions(client.standbyTopicPartitions());
      }
    }
    return IntStream.range(0, partitionCount)
        .boxed()
        .collect(Collectors.toCollection(TreeSet::new));
  }

  @Override
  public Optional<LocalReplica> localReplica(String view, int partition) {
    KafkaStreams streams = usable();
    if (streams == null) {
      return Optional.empty();
    }
    Set<Integer> active = new HashSet<>();
    Set<Integer> standby = new HashSet<>();
    for (ThreadMetadata thread : streams.metadataForLocalThreads()) {
      for (TaskMetadata task : thread.activeTasks()) {
        active.add(task.taskId().partition());
      }
      for (TaskMetadata task : thread.standbyTasks()) {
        standby.add(task.taskId().partition());
      }
    }
    boolean isActive = active.contains(partition);
    if (!isActive && !standby.contains(partition)) {
      return Optional.empty();
    }
    // Read before the state: a change after this point makes the next caller measure again.
    long changes = stateChanges.count();
    boolean running = streams.state() == KafkaStreams.State.RUNNING;
    if (isActive && running) {
      return Optional.of(new LocalReplica(true, 0));
    }
    // Every view store of a task is replayed from the task's partition of `aggregates` through
    // one store, whose lag is theirs.
    LagInfo lag =
        lags(streams, changes, new LocalCopies(active, standby), running)
            .getOrDefault(QueryTopology.REPLAY_STORE, Map.of())
            .get(partition);
    long offsets = lag == null ? LocalReplica.UNKNOWN_LAG : lag.offsetLag();
    return Optional.of(new LocalReplica(isActive, offsets));
  }

  @Override
  public StoreLocator stores(int partition, boolean staleOk) {
    return stores.forPartition(partition, staleOk);
  }

  /** The client, unless it is missing or shutting down (then nobody here can answer). */
  private KafkaStreams usable() {
    KafkaStreams streams = factoryBean.getKafkaStreams();
    if (streams == null) {
      return null;
    }
    return switch (streams.state()) {
      case RUNNING, REBALANCING -> streams;
      default -> null;
    };
  }

  private static Iterable<StreamsMetadata> clients(KafkaStreams streams) {
    try {
      return streams.metadataForAllStreamsClients();
    } catch (StreamsException | IllegalStateException e) {
      return Set.of();
    }
  }

  private void notePartitions(Set<TopicPartition> partitions) {
    for (TopicPartition tp : partitions) {
      if (tp.partition() + 1 > partitionCount) {
        partitionCount = tp.partition() + 1;
      }
    }
  }

  private Map<String, Map<Integer, LagInfo>> lags(
      KafkaStreams streams, long changes, LocalCopies copies, boolean running) {
    Lags cached = lags;
    long now = clock.millis();
    boolean unchanged = cached.stateChanges() == changes && cached.copies().equals(copies);
    if (running && unchanged && cached.at() != Long.MIN_VALUE
        && now - cached.at() < LAG_CACHE_MILLIS) {
      return cached.byStore();
    }
    Map<String, Map<Integer, LagInfo>> fresh;
    try {
      fresh = new HashMap<>(streams.allLocalStorePartitionLags());
    } catch (StreamsException | IllegalStateException e) {
      // An older answer only stands in for copies that are still the same ones, unchanged since.
      return unchanged ? cached.byStore() : Map.of();
    }
    // While rebalancing, copies come and go between two calls: measure every time.
    lags = running ? new Lags(now, changes, copies, fresh) : Lags.NONE;
    return fresh;
  }
}
