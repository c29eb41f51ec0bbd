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
    ThreadMetadata thread = mock(ThreadMetadata.class);
    TaskMetadata active = task(0);
    TaskMetadata standby = task(1);
    when(thread.activeTasks()).thenReturn(Set.of(active));
    when(thread.standbyTasks()).thenReturn(Set.of(standby));
    when(streams.metadataForLocalThreads()).thenReturn(Set.of(thread));
    LagInfo lag = mock(LagInfo.class);
    when(lag.offsetLag()).thenReturn(7L);
    when(streams.allLocalStorePartitionLags()).thenReturn(Map.of(STORE, Map.of(1, lag)));

    assertThat(cluster.localReplica("by-source", 0)).contains(new LocalReplica(true, 0));
    verify(streams, never()).allLocalStorePartitionLags();
    assertThat(cluster.localReplica("by-source", 1)).contains(new LocalReplica(false, 7));
    assertThat(cluster.localReplica("by-source", 1).orElseThrow().stale()).isTrue();
    assertThat(cluster.localReplica("by-source", 2)).isEmpty();
    verify(streams, times(1)).allLocalStorePartitionLags();
  }

  @Test
  void anActiveCopyDuringARebalanceReportsItsRestoreLag() {
    ThreadMetadata thread = mock(ThreadMetadata.class);
    TaskMetadata active = task(0);
    when(thread.activeTasks()).thenReturn(Set.of(active));
    when(thread.standbyTasks()).thenReturn(Set.of());
    when(streams.metadataForLocalThreads()).thenReturn(Set.of(thread));
    when(streams.state()).thenReturn(KafkaStreams.State.REBALANCING);
    LagInfo lag = mock(LagInfo.class);
    when(lag.offsetLag()).thenReturn(40L);
    when(streams.allLocalStorePartitionLags()).thenReturn(Map.of(STORE, Map.of(0, lag)));

    LocalReplica replica = cluster.localReplica("by-source", 0).orElseThrow();
    assertThat(replica).isEqualTo(new LocalReplica(true, 40));
    assertThat(replica.stale()).isTrue();
  }

  private static TaskMetadata task(int partition) {
    TaskMetadata task = mock(TaskMetadata.class);
    when(task.taskId()).thenReturn(new TaskId(0, partition));
    return task;
  }
}
