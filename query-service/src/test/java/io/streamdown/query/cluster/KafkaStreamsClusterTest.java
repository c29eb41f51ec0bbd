package io.streamdown.query.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.streamdown.query.query.KafkaStreamsStoreLocator;
import io.streamdown.query.streams.QueryTopology;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.LagInfo;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.internals.StreamsMetadataImpl;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.mock.env.MockEnvironment;

/** The adapter from Kafka Streams metadata to {@link QueryCluster}. */
class KafkaStreamsClusterTest {

  private static final String STORE = QueryTopology.windowStoreName("by-source");
  private static final String TOPIC = "streamdown.aggregates";
  private static final HostInfo A = new HostInfo("a", 8084);
  private static final HostInfo B = new HostInfo("b", 8184);

  private final StreamsBuilderFactoryBean factoryBean = mock(StreamsBuilderFactoryBean.class);
  private final KafkaStreams streams = mock(KafkaStreams.class);
  private final ClientStateChanges stateChanges = new ClientStateChanges();
  private KafkaStreamsCluster cluster;

  @BeforeEach
  void setUp() {
    when(factoryBean.getKafkaStreams()).thenReturn(streams);
    when(streams.state()).thenReturn(KafkaStreams.State.RUNNING);
    AdvertisedInstance advertised =
        new AdvertisedInstance(
            new MockEnvironment()
                .withProperty("streamdown.query.advertised-host", "a")
                .withProperty("server.port", "8084"),
            null);
    cluster =
        new KafkaStreamsCluster(
            factoryBean,
            advertised,
            new KafkaStreamsStoreLocator(factoryBean),
            stateChanges,
            Clock.fixed(Instant.EPOCH, ZoneOffset.UTC));
  }

  @Test
  @SuppressWarnings("unchecked")
  void aKeysPlacementComesFromQueryMetadata() {
    when(streams.queryMetadataForKey(eq(STORE), eq("[\"t\",\"s\"]"), any(StreamPartitioner.class)))
        .thenReturn(new KeyQueryMetadata(B, Set.of(A), 3));

    assertThat(cluster.placement("by-source", "[\"t\",\"s\"]"))
        .contains(new KeyPlacement(3, new Instance("b", 8184), Set.of(new Instance("a", 8084))));
  }

  @Test
  @SuppressWarnings("unchecked")
  void noMetadataOrAStoppedClientMeansNoPlacement() {
    when(streams.queryMetadataForKey(eq(STORE), any(), any(StreamPartitioner.class)))
        .thenReturn(KeyQueryMetadata.NOT_AVAILABLE);
    assertThat(cluster.placement("by-source", "[]")).isEmpty();

    when(streams.state()).thenReturn(KafkaStreams.State.PENDING_SHUTDOWN);
    assertThat(cluster.placement("by-source", "[]")).isEmpty();
    assertThat(cluster.activePartitions("by-source")).isEmpty();
  }

  @Test
  void instancesAndTheirActivePartitionsComeFromTheClientsMetadata() {
    when(streams.metadataForAllStreamsClients())
        .thenReturn(
            List.of(
                new StreamsMetadataImpl(
                    A,
                    Set.of(STORE),
                    Set.of(new TopicPartition(TOPIC, 0), new TopicPartition(TOPIC, 2)),
                    Set.of(STORE), Set.of(new TopicPartition(TOPIC, 1))),
                new StreamsMetadataImpl(
                    B, Set.of(), Set.of(), Set.of(STORE), Set.of(new TopicPartition(TOPIC, 3)))));

    Map<Instance, Set<Integer>> active = cluster.activePartitions("by-source");

    assertThat(active)
        .containsEntry(new Instance("a", 8084), Set.of(0, 2))
        .containsEntry(new Instance("b", 8184), Set.of());
    assertThat(cluster.partitions("by-source")).containsExactly(0, 1, 2, 3);
  }

  @Test
  void aRunningActiveCopyIsFreshAStandbyReportsItsLagAskedOncePerSecond() {
    holding(Set.of(0), Set.of(1));
    lags(Map.of(1, 7L));

    assertThat(cluster.localReplica("by-source", 0)).contains(new LocalReplica(true, 0));
    verify(streams, never()).allLocalStorePartitionLags();
    assertThat(cluster.localReplica("by-source", 1)).contains(new LocalReplica(false, 7));
    assertThat(cluster.localReplica("by-source", 1).orElseThrow().stale()).isTrue();
    assertThat(cluster.localReplica("by-source", 2)).isEmpty();
    verify(streams, times(1)).allLocalStorePartitionLags();
  }

  @Test
  void anActiveCopyDuringARebalanceReportsItsRestoreLag() {
    holding(Set.of(0), Set.of());
    when(streams.state()).thenReturn(KafkaStreams.State.REBALANCING);
    lags(Map.of(0, 40L));

    LocalReplica replica = cluster.localReplica("by-source", 0).orElseThrow();
    assertThat(replica).isEqualTo(new LocalReplica(true, 40));
    assertThat(replica.stale()).isTrue();
  }

  @Test
  void aLagMeasuredBeforeTheCopiesChangedIsNotReused() {
    holding(Set.of(), Set.of(1));
    lags(Map.of(1, 0L));
    assertThat(cluster.localReplica("by-source", 1)).contains(new LocalReplica(false, 0));

    // A rebalance drops the standby of partition 1 and creates it again, plus one of 2: the
    // new copy starts empty, and within the same second its lag must be asked again.
    holding(Set.of(), Set.of(1, 2));
    lags(Map.of(1, 60L, 2, 60L));

    assertThat(cluster.localReplica("by-source", 1)).contains(new LocalReplica(false, 60));
    verify(streams, times(2)).allLocalStorePartitionLags();
  }

  @Test
  void aLagMeasuredBeforeARebalanceThatKeptTheSameCopiesIsNotReused() {
    holding(Set.of(), Set.of(1));
    lags(Map.of(1, 0L));
    assertThat(cluster.localReplica("by-source", 1)).contains(new LocalReplica(false, 0));

    // A rebalance that no query saw, which dropped the standby of partition 1 and created it
    // again, empty, within the same second: the copies look the same, the state changes did not.
    stateChanges.onChange(KafkaStreams.State.REBALANCING, KafkaStreams.State.RUNNING);
    stateChanges.onChange(KafkaStreams.State.RUNNING, KafkaStreams.State.REBALANCING);
    lags(Map.of(1, 60L));

    assertThat(cluster.localReplica("by-source", 1)).contains(new LocalReplica(false, 60));
    verify(streams, times(2)).allLocalStorePartitionLags();
  }

  @Test
  void whileRebalancingEveryLagIsMeasuredAfreshAndUnknownLagsSaySo() {
    holding(Set.of(), Set.of(1));
    when(streams.state()).thenReturn(KafkaStreams.State.REBALANCING);
    lags(Map.of());

    LocalReplica replica = cluster.localReplica("by-source", 1).orElseThrow();
    cluster.localReplica("by-source", 1);

    assertThat(replica.lagKnown()).isFalse();
    assertThat(replica.stale()).isTrue();
    verify(streams, times(2)).allLocalStorePartitionLags();
  }

  /** This instance's one stream thread holds these active and standby partitions. */
  private void holding(Set<Integer> active, Set<Integer> standby) {
    Set<TaskMetadata> activeTasks = tasks(active);
    Set<TaskMetadata> standbyTasks = tasks(standby);
    ThreadMetadata thread = mock(ThreadMetadata.class);
    when(thread.activeTasks()).thenReturn(activeTasks);
    when(thread.standbyTasks()).thenReturn(standbyTasks);
    when(streams.metadataForLocalThreads()).thenReturn(Set.of(thread));
  }

  /**
   * The lags (offsets) of the local partitions that Kafka Streams reports: for the replay store,
   * whose changelog is `aggregates`; the view stores have none of their own.
   */
  private void lags(Map<Integer, Long> offsets) {
    Map<Integer, LagInfo> byPartition = new java.util.HashMap<>();
    offsets.forEach(
        (partition, lag) -> {
          LagInfo info = mock(LagInfo.class);
          when(info.offsetLag()).thenReturn(lag);
          byPartition.put(partition, info);
        });
    when(streams.allLocalStorePartitionLags())
        .thenReturn(Map.of(QueryTopology.REPLAY_STORE, byPartition));
  }

  private static Set<TaskMetadata> tasks(Set<Integer> partitions) {
    Set<TaskMetadata> tasks = new java.util.HashSet<>();
    partitions.forEach(partition -> tasks.add(task(partition)));
    return tasks;
  }

  private static TaskMetadata task(int partition) {
    TaskMetadata task = mock(TaskMetadata.class);
    when(task.taskId()).thenReturn(new TaskId(0, partition));
    return task;
  }
}
