package io.streamdown.enrich.streams;

import io.streamdown.schemas.EnrichedEvent;
import io.streamdown.schemas.Event;
import io.streamdown.schemas.Reference;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.kafka.common.serialization.BytesSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.VersionedKeyValueStore;
import org.apache.kafka.streams.state.VersionedRecord;

/**
 * Joins each event with the reference version of its source current at the event's record
 * timestamp (its ingest time), as a stream-table left join does, except that an event which finds
 * none waits up to {@code wait} for it before it goes on unmatched.
 *
 * <p>Why wait: Kafka Streams processes a task's records in timestamp order only among those it
 * has buffered. When an upsert and the events after it become readable together (a stage catching
 * up, or reading the two topics from different brokers), one poll can return the events while the
 * reference partition's records still sit in the consumer, and the lag Kafka Streams last saw for
 * that partition (zero) tells it that nothing is missing. Without the wait, every such event is
 * enriched without a reference it was ingested after. A reference change lets its source's
 * waiting events go as soon as it is processed; events of sources that have no reference data
 * wait the whole time, which is the price of the guarantee ({@code 0} turns waiting off).
 *
 * <p>Waiting events are kept in a logged store, so a restart or a moved task resumes their wait
 * instead of losing them, and their release is part of the same exactly-once transaction as the
 * input that caused it.
 *
 * <p>The processor receives the table's changes as well as the events ({@link JoinInput}): a
 * change lets its source's waiting events go, and drops the source from the latest versions the
 * processor keeps in memory ({@link LatestReferences}), which answer most events without reading
 * the store.
 */
final class ReferenceJoin implements Processor<String, JoinInput, String, EnrichedEvent> {

  private static final BytesSerializer PREFIX = new BytesSerializer();

  private final String referenceStoreName;
  private final String pendingStoreName;
  private final long waitMs;
  private final Duration checkInterval;
  private final EnrichListener listener;
  private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
  private final LatestReferences latest;

  private ProcessorContext<String, EnrichedEvent> context;
  private VersionedKeyValueStore<String, Reference> references;
  private KeyValueStore<Bytes, byte[]> pending;
  private long nextSequence;
  /** The check of waiting events, scheduled only while some wait (see {@link #startChecking}). */
  private Cancellable check;

  /** An event in {@link #pending}, in the order events started to wait. */
  private record Waiting(Bytes key, long since) {}

  /**
   * @param latestCapacity how many sources' latest versions to keep in memory; 0: none, every
   *     event reads the store
   */
  ReferenceJoin(
      String referenceStoreName,
      String pendingStoreName,
      Duration wait,
      int latestCapacity,
      EnrichListener listener) {
    this.referenceStoreName = referenceStoreName;
    this.pendingStoreName = pendingStoreName;
    this.waitMs = wait.toMillis();
    this.checkInterval = checkInterval(wait);
    this.latest = new LatestReferences(latestCapacity, listener);
    this.listener = listener;
  }

  /** How often waiting events are checked: a tenth of the wait, within 10-250 ms; 1 s without. */
  private static Duration checkInterval(Duration wait) {
    if (wait.isZero()) {
      return Duration.ofSeconds(1);
    }
    long tenth = wait.toMillis() / 10;
    return Duration.ofMillis(Math.max(10, Math.min(250, tenth)));
  }

  @Override
  public void init(ProcessorContext<String, EnrichedEvent> context) {
    this.context = context;
    this.references = context.getStateStore(referenceStoreName);
    this.pending = context.getStateStore(pendingStoreName);
    // Kafka Streams initializes a processor again after its task was revived and its stores
    // restored anew (an aborted transaction under exactly-once): what it kept in memory may
    // belong to work that was rolled back, so it starts from what the stores hold now.
    latest.clear();
    waiting.clear();
    restoreWaiting();
    // Also with waiting off: events that waited under an earlier setting still have to go.
    if (!waiting.isEmpty()) {
      startChecking();
    }
  }

  /**
   * Schedules the check of waiting events. Only while some wait: a stream thread halves the
   * records it processes per task between polls whenever a punctuation ran, so a check every
   * 100 ms in every task, with nothing to check, cost the whole stage throughput.
   */
  private void startChecking() {
    check =
        context.schedule(checkInterval, PunctuationType.WALL_CLOCK_TIME, this::expire);
  }

  /**
   * Events that were waiting when the task last stopped wait on, in the order they started: the
   * order of their sequence numbers (the store orders its keys by source first).
   */
  private void restoreWaiting() {
    List<Waiting> restored = new ArrayList<>();
    try (KeyValueIterator<Bytes, byte[]> all = pending.all()) {
      while (all.hasNext()) {
        KeyValue<Bytes, byte[]> entry = all.next();
        restored.add(new Waiting(entry.key, PendingEvents.waitingSince(entry.value)));
      }
    }
    restored.sort(Comparator.comparingLong(w -> PendingEvents.sequence(w.key())));
    waiting.addAll(restored);
    if (!restored.isEmpty()) {
      nextSequence = PendingEvents.sequence(restored.get(restored.size() - 1).key()) + 1;
    }
  }

  @Override
  public void process(Record<String, JoinInput> record) {
    if (record.value() instanceof JoinInput.EventArrived arrived) {
      join(record.withValue(arrived.event()));
    } else if (record.value() instanceof JoinInput.ReferenceChanged changed) {
      changed(record.key(), changed.reference());
    }
  }

  private void join(Record<String, Event> record) {
    VersionedRecord<Reference> reference =
        latest.get(references, record.key(), record.timestamp());
    if (reference != null || waitMs == 0) {
      context.forward(record.withValue(PendingEvents.enriched(record.value(), reference)));
      return;
    }
    // First: should it throw (a bug), the event is dead-lettered and must not wait as well.
    listener.held();
    long now = context.currentSystemTimeMs();
    Bytes key = PendingEvents.key(record.key(), nextSequence++);
    pending.put(
        key, PendingEvents.value(now, record.timestamp(), record.headers(), record.value()));
    waiting.add(new Waiting(key, now));
    if (check == null) {
      startChecking();
    }
  }

  /**
   * The table has stored a change of {@code source}: its latest version may be another now, and
   * unless the change is a deletion (which joins nothing), the source's waiting events go, each
   * joined with the version current at its own record timestamp. An event ingested before the
   * change still finds no version and waits on until its time is up.
   */
  private void changed(String source, Reference reference) {
    if (source == null) {
      return;
    }
    latest.forget(source);
    if (reference == null) {
      return;
    }
    List<KeyValue<Bytes, byte[]>> found = new ArrayList<>();
    try (KeyValueIterator<Bytes, byte[]> entries =
        pending.prefixScan(PendingEvents.prefix(source), PREFIX)) {
      entries.forEachRemaining(found::add);
    }
    for (KeyValue<Bytes, byte[]> entry : found) {
      long timestamp = PendingEvents.recordTimestamp(entry.value);
      VersionedRecord<Reference> version = references.get(source, timestamp);
      if (version != null) {
        pending.delete(entry.key);
        context.forward(PendingEvents.read(entry.value).joined(source, version));
      }
    }
  }

  /** Lets every event that has waited its time go, joined if its reference came meanwhile. */
  private void expire(long now) {
    while (!waiting.isEmpty() && waiting.peek().since() + waitMs <= now) {
      Bytes key = waiting.poll().key();
      byte[] value = pending.get(key);
      if (value == null) {
        continue; // released when its reference came (changed)
      }
      pending.delete(key);
      String source = PendingEvents.source(key);
      PendingEvents.Entry event = PendingEvents.read(value);
      context.forward(event.joined(source, references.get(source, event.recordTimestamp())));
    }
    if (waiting.isEmpty() && check != null) {
      check.cancel();
      check = null;
    }
  }
}
