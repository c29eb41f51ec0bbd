package io.streamdown.support;

import java.util.List;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Hands the client's state changes to several listeners, since a Streams client takes only one.
 * Every {@link KafkaStreams.StateListener} bean of a Streams service is registered this way;
 * services add a bean rather than calling {@code StreamsBuilderFactoryBean.setStateListener},
 * which would replace them all.
 */
final class CompositeStateListener implements KafkaStreams.StateListener {

  private final Supplier<List<KafkaStreams.StateListener>> source;
  private volatile List<KafkaStreams.StateListener> resolved;

  /**
   * @param source the listeners, asked once at the first change (the client changes state only
   *     once the application context is up, so listener beans may depend on the client)
   */
  CompositeStateListener(Supplier<List<KafkaStreams.StateListener>> source) {
    this.source = source;
  }

  @Override
  public void onChange(KafkaStreams.State newState, KafkaStreams.State oldState) {
    List<KafkaStreams.StateListener> current = resolved;
    if (current == null) {
      current = List.copyOf(source.get());
      resolved = current;
    }
    current.forEach(listener -> listener.onChange(newState, oldState));
  }
}
