package io.streamdown.bench.flink;

import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** The KafkaSource deserializers of the two topics; each builds its mapper when opened. */
final class KafkaDeserializers {

  private KafkaDeserializers() {}

  /** {@code events.raw}: key, value and timestamp make an {@link AdEvent}; invalid ones skip. */
  static final class Events implements KafkaRecordDeserializationSchema<AdEvent> {
    private transient StreamdownJson json;

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
      json = new StreamdownJson();
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<AdEvent> out) {
      AdEvent event = json.event(record.key(), record.value(), record.timestamp());
      if (event != null) {
        out.collect(event);
      }
    }

    @Override
    public TypeInformation<AdEvent> getProducedType() {
      return TypeInformation.of(AdEvent.class);
    }
  }

  /** {@code reference}: key and value make an {@link AdCampaign}, a tombstone one without. */
  static final class References implements KafkaRecordDeserializationSchema<AdCampaign> {
    private transient StreamdownJson json;

    @Override
    public void open(DeserializationSchema.InitializationContext context) {
      json = new StreamdownJson();
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<AdCampaign> out) {
      AdCampaign campaign = json.reference(record.key(), record.value());
      if (campaign != null) {
        out.collect(campaign);
      }
    }

    @Override
    public TypeInformation<AdCampaign> getProducedType() {
      return TypeInformation.of(AdCampaign.class);
    }
  }
}
