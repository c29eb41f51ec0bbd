package io.streamdown.query.cluster;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The order in which a point query tries the replicas of its key: the active task's instance
 * first (this one or a forward), then the standby replicas (this instance's own first, it needs
 * no hop; then the others by address, so every instance tries them in the same order), and
 * finally this instance's own copy even when the metadata does not list one (it may be a task
 * that is just moving here). A forwarded request is answered here or not at all: forwarding it
 * again could loop between instances whose metadata disagree during a rebalance.
 */
public final class RoutePlan {

  private RoutePlan() {}

  /** The targets to try, in order; empty when nobody is known to hold the key. */
  public static List<Target> plan(
      Optional<KeyPlacement> placement, Instance self, boolean forwarded) {
    if (placement.isEmpty()) {
      return List.of();
    }
    if (forwarded) {
      return List.of(Target.local(self));
    }
    KeyPlacement where = placement.get();
    List<Target> targets = new ArrayList<>();
    if (where.active() != null) {
      targets.add(where.active().equals(self) ? Target.local(self) : Target.remote(where.active()));
    }
    if (where.standbys().contains(self) && !self.equals(where.active())) {
      targets.add(Target.local(self));
    }
    where.standbys().stream()
        .filter(standby -> !standby.equals(self) && !standby.equals(where.active()))
        .sorted(Comparator.comparing(Instance::id))
        .forEach(standby -> targets.add(Target.remote(standby)));
    if (targets.stream().noneMatch(Target::local)) {
      targets.add(Target.local(self));
    }
    return List.copyOf(targets);
  }
}
