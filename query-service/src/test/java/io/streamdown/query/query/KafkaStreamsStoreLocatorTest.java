package io.streamdown.query.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.streamdown.query.TestViews;
import io.streamdown.query.config.QuerySettings;
import io.streamdown.query.streams.QueryTopology;
import io.streamdown.schemas.GroupKey;
import io.streamdown.schemas.WindowAggregate;
import java.util.OptionalLong;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;

class KafkaStreamsStoreLocatorTest {

  private final StreamsBuilderFactoryBean factoryBean = mock(StreamsBuilderFactoryBean.class);
  private final KafkaStreams streams = mock(KafkaStreams.class);
  private final KafkaStreamsStoreLocator locator = new KafkaStreamsStoreLocator(factoryBean);

  @Test
  void aClientNotCreatedYetIsNotQueryable() {
    assertThatThrownBy(() -> locator.windowStore("by-source"))
        .isInstanceOf(InvalidStateStoreException.class)
        .hasMessageContaining("not started");
  }

  @Test
  void onlyARunningOrRebalancingClientIsAsked() {
    when(factoryBean.getKafkaStreams()).thenReturn(streams);
    for (KafkaStreams.State state : KafkaStreams.State.values()) {
      if (state == KafkaStreams.State.RUNNING || state == KafkaStreams.State.REBALANCING) {
        continue;
      }
      when(streams.state()).thenReturn(state);
      assertThatThrownBy(locator::latestWindowStore)
          .isInstanceOf(InvalidStateStoreException.class)
          .hasMessageContaining(state.name());
    }
    verify(streams, never()).store(any());
  }

  @Test
  @SuppressWarnings("unchecked")
  void aRunningClientIsAskedForTheViewsStore() {
    ReadOnlyWindowStore<String, WindowAggregate> store = mock(ReadOnlyWindowStore.class);
    when(factoryBean.getKafkaStreams()).thenReturn(streams);
    when(streams.state()).thenReturn(KafkaStreams.State.RUNNING);
    when(streams.store(any())).thenReturn(store);

    assertThat(locator.windowStore("by-source")).isSameAs(store);

    ArgumentCaptor<StoreQueryParameters<?>> parameters =
        ArgumentCaptor.forClass(StoreQueryParameters.class);
    verify(streams).store(parameters.capture());
    assertThat(parameters.getValue().storeName())
        .isEqualTo(QueryTopology.windowStoreName("by-source"));
    assertThat(parameters.getValue().partition()).isNull();
    assertThat(parameters.getValue().staleStoresEnabled()).isFalse();
  }

  @Test
  @SuppressWarnings("unchecked")
  void aPartitionsStoresMayBeStaleDuringARebalance() {
    ReadOnlyWindowStore<String, WindowAggregate> store = mock(ReadOnlyWindowStore.class);
    when(factoryBean.getKafkaStreams()).thenReturn(streams);
    when(streams.state()).thenReturn(KafkaStreams.State.REBALANCING);
    when(streams.store(any())).thenReturn(store);

    assertThat(locator.forPartition(2, true).windowStore("by-source")).isSameAs(store);
    assertThat(locator.forPartition(1, false).windowStore("by-source")).isSameAs(store);

    ArgumentCaptor<StoreQueryParameters<?>> parameters =
        ArgumentCaptor.forClass(StoreQueryParameters.class);
    verify(streams, org.mockito.Mockito.times(2)).store(parameters.capture());
    assertThat(parameters.getAllValues().get(0).partition()).isEqualTo(2);
    assertThat(parameters.getAllValues().get(0).staleStoresEnabled()).isTrue();
    assertThat(parameters.getAllValues().get(1).partition()).isEqualTo(1);
    assertThat(parameters.getAllValues().get(1).staleStoresEnabled()).isFalse();
  }

  @Test
  void theFacadeTurnsAStartingClientIntoUnavailable() {
    when(factoryBean.getKafkaStreams()).thenReturn(streams);
    when(streams.state()).thenReturn(KafkaStreams.State.CREATED);
    QuerySettings settings = QuerySettings.defaults();
    AggregateQueries queries = new AggregateQueries(locator, settings);

    assertThat(queries.windows(TestViews.BY_SOURCE, GroupKey.of("a", "b"), 0, 1))
        .isInstanceOfSatisfying(
            QueryResult.Unavailable.class,
            u -> assertThat(u.retryAfter()).isEqualTo(settings.retryAfter()));
    assertThat(queries.top(TestViews.BY_SOURCE, TopMetric.COUNT, 1, OptionalLong.empty()))
        .isInstanceOf(QueryResult.Unavailable.class);
  }
}
