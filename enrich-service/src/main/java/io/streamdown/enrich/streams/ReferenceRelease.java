package io.streamdown.enrich.streams;

import io.streamdown.schemas.EnrichedEvent;
import io.streamdown.schemas.Reference;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.BytesSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.VersionedKeyValueStore;
import org.apache.kafka.streams.state.VersionedRecord;

/**
 * When a source's reference data changes, lets that source's events that wait for it ({@link
 * ReferenceJoin}) go, each joined with the version current at its own record timestamp. An event
 * ingested before the change still finds no version and waits on until its time is up.
 */
final class ReferenceRelease implements Processor<String, Reference, String, EnrichedEvent> {

  private static final BytesSerializer PREFIX = new BytesSerializer();

  private final String referenceStoreName;
  private final String pendingStoreName;

  private ProcessorContext<String, EnrichedEvent> context;
  private VersionedKeyValueStore<String, Reference> references;
  private KeyValueStore<Bytes, byte[]> pending;

  ReferenceRelease(String referenceStoreName, String pendingStoreName) {
    this.referenceStoreName = referenceStoreName;
    this.pendingStoreName = pendingStoreName;
  }

  @Override
  public void init(ProcessorContext<String, EnrichedEvent> context) {
    this.context = context;
    this.references = context.getStateStore(referenceStoreName);
    this.pending = context.getStateStore(pendingStoreName);
  }

  @Override
  public void process(Record<String, Reference> record) {
    if (record.key() == null || record.value() == null) {
      return; // a deletion joins nothing
    }
    List<KeyValue<Bytes, byte[]>> waiting = new ArrayList<>();
    try (KeyValueIterator<Bytes, byte[]> found =
        pending.prefixScan(PendingEvents.prefix(record.key()), PREFIX)) {
      found.forEachRemaining(waiting::add);
    }
    for (KeyValue<Bytes, byte[]> entry : waiting) {
      long timestamp = PendingEvents.recordTimestamp(entry.value);
      VersionedRecord<Reference> reference = references.get(record.key(), timestamp);
      if (reference != null) {
        pending.delete(entry.key);
        context.forward(PendingEvents.read(entry.value).joined(record.key(), reference));
      }
    }
  }
}
