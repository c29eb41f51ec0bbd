package io.streamdown.aggregate.streams;

import io.streamdown.schemas.WindowAggregate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Remembers every call of the topology's listener, for assertions. */
final class RecordingListener implements AggregateListener {

  final Map<String, Integer> late = new HashMap<>();
  final Map<String, Integer> unkeyed = new HashMap<>();
  final List<WindowAggregate> emitted = new ArrayList<>();
  final List<String> deadLetterErrors = new ArrayList<>();
  final Map<String, Integer> retracted = new HashMap<>();
  final Map<String, Integer> regrouped = new HashMap<>();

  @Override
  public void deadLettered(String stage, String errorClass) {
    deadLetterErrors.add(stage + ":" + errorClass);
  }

  @Override
  public void late(String view) {
    late.merge(view, 1, Integer::sum);
  }

  @Override
  public void unkeyed(String view) {
    unkeyed.merge(view, 1, Integer::sum);
  }

  @Override
  public void emitted(String view, WindowAggregate aggregate) {
    if (!view.equals(aggregate.view())) {
      throw new AssertionError("aggregate of " + aggregate.view() + " reported for " + view);
    }
    emitted.add(aggregate);
  }

  @Override
  public void retracted(String view) {
    retracted.merge(view, 1, Integer::sum);
  }

  @Override
  public void regrouped(String view) {
    regrouped.merge(view, 1, Integer::sum);
  }

  int regroupedCount(String view) {
    return regrouped.getOrDefault(view, 0);
  }

  int lateCount(String view) {
    return late.getOrDefault(view, 0);
  }

  int unkeyedCount(String view) {
    return unkeyed.getOrDefault(view, 0);
  }
}
