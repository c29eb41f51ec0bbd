package io.streamdown.query.streams;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.streams.processor.TaskId;

/**
 * The view stores of each task of one topology, as their bytes layer, where {@link
 * AggregatesReplay} finds them. A view store registers here when Kafka Streams opens it for a task
 * and leaves when it closes; the replay of that task's partition of {@code aggregates} runs later
 * (a task's stores are all opened before any of them restores), possibly on another thread.
 */
final class ReplayTargets {

  private final Map<TaskId, Map<String, ReplayTargetStore>> byTask =
      new ConcurrentHashMap<>();

  void register(TaskId task, String view, ReplayTargetStore store) {
    byTask.computeIfAbsent(task, t -> new ConcurrentHashMap<>()).put(view, store);
  }

  /** Removes the store, unless another instance took its place in the meantime. */
  void unregister(TaskId task, String view, ReplayTargetStore store) {
    byTask.computeIfPresent(
        task,
        (t, stores) -> {
          stores.remove(view, store);
          return stores.isEmpty() ? null : stores;
        });
  }

  /** The store of a view in a task. */
  ReplayTargetStore store(TaskId task, String view) {
    ReplayTargetStore store = byTask.getOrDefault(task, Map.of()).get(view);
    if (store == null) {
      throw new IllegalStateException(
          "the store of view " + view + " is not open in task " + task + " while replaying it");
    }
    return store;
  }
}
