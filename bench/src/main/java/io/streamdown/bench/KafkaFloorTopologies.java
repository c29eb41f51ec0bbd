package io.streamdown.bench;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * W5's floor: the Kafka traffic of Streamdown's enrich and aggregate stages with none of their
 * work. Two topologies, run as two exactly-once applications like the two services:
 *
 * <ul>
 *   <li>{@link #enrich}: each raw record is put into a logged store (one changelog record per event,
 *       as de-duplication writes) and passed on unchanged, bytes in, bytes out: no parsing, no
 *       join.
 *   <li>{@link #aggregate}: each record is re-keyed to one of {@link #GROUPS} groups (the YSB view
 *       has 3 event types × 100 campaigns) with an 8-byte value, repartitioned, and counted in
 *       tumbling windows by Kafka Streams' own {@code count()} (cached, like the view's store), whose
 *       changes go to an output topic.
 * </ul>
 *
 * Both stores are in memory, and the seen-store's keys wrap around ({@link #SEEN_SLOTS} per
 * partition) so its memory stays bounded while its changelog gets every write. Whatever this
 * costs, Streamdown's two stages cannot cost less: it is their Kafka reads, writes, transactions
 * and framework alone.
 */
public final class KafkaFloorTopologies {

  /** Distinct group keys of the aggregate floor, as many as the YSB view's cells per window. */
  static final int GROUPS = 300;

  /** Keys of the seen-store per input partition before they are reused. */
  static final int SEEN_SLOTS = 1 << 16;

  static final String SEEN_STORE = "floor-seen";
  static final String COUNT_STORE = "floor-counts";
  static final String REPARTITION = "floor-groups";
  static final Duration WINDOW = Duration.ofSeconds(10);
  static final Duration GRACE = Duration.ofSeconds(30);

  private KafkaFloorTopologies() {}

  /** Raw records to {@code outputTopic} unchanged, each remembered in a logged store first. */
  public static Topology enrich(String inputTopic, String outputTopic) {
    StreamsBuilder builder = new StreamsBuilder();
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(SEEN_STORE), Serdes.String(), Serdes.Long())
            .withCachingDisabled()
            .withLoggingEnabled(Map.of()));
    builder.stream(
            inputTopic,
            Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("floor-raw"))
        .processValues(Remember::new, Named.as("floor-remember"), SEEN_STORE)
        .to(outputTopic, Produced.with(Serdes.String(), Serdes.ByteArray()).withName("floor-out"));
    return builder.build();
  }

  /** Records counted per group and tumbling window, the counts' changes to {@code outputTopic}. */
  public static Topology aggregate(String inputTopic, String outputTopic) {
    StreamsBuilder builder = new StreamsBuilder();
    builder.stream(
            inputTopic,
            Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("floor-enriched"))
        .map(
            (key, value) -> KeyValue.pair(group(key), value == null ? 0L : (long) value.length),
            Named.as("floor-group-key"))
        .repartition(
            Repartitioned.<String, Long>as(REPARTITION)
                .withKeySerde(Serdes.String())
                .withValueSerde(Serdes.Long()))
        .groupByKey(Grouped.with("floor-grouped", Serdes.String(), Serdes.Long()))
        .windowedBy(TimeWindows.ofSizeAndGrace(WINDOW, GRACE))
        .count(
            Named.as("floor-count"),
            Materialized.<String, Long>as(
                    Stores.inMemoryWindowStore(
                        COUNT_STORE, WINDOW.plus(GRACE).multipliedBy(2), WINDOW, false))
                .withKeySerde(Serdes.String())
                .withValueSerde(Serdes.Long()))
        .toStream(Named.as("floor-changes"))
        .map(
            (window, count) -> KeyValue.pair(window.key() + "@" + window.window().start(), count),
            Named.as("floor-cell"))
        .to(outputTopic, Produced.with(Serdes.String(), Serdes.Long()).withName("floor-counted"));
    return builder.build();
  }

  /** The group of a record key, one of {@link #GROUPS}. */
  static String group(String key) {
    return "g" + Math.floorMod(key == null ? 0 : key.hashCode(), GROUPS);
  }

  /** Puts one store entry per record (its partition and offset, wrapped), then forwards it. */
  private static final class Remember implements FixedKeyProcessor<String, byte[], byte[]> {

    private FixedKeyProcessorContext<String, byte[]> context;
    private KeyValueStore<String, Long> seen;

    @Override
    public void init(FixedKeyProcessorContext<String, byte[]> context) {
      this.context = context;
      this.seen = context.getStateStore(SEEN_STORE);
    }

    @Override
    public void process(FixedKeyRecord<String, byte[]> record) {
      String slot =
          context
              .recordMetadata()
              .map(m -> m.partition() + ":" + Math.floorMod(m.offset(), SEEN_SLOTS))
              .orElse("0:0");
      seen.put(slot, record.timestamp());
      context.forward(record);
    }
  }
}
