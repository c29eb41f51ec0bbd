package io.streamdown.query.cluster;

/**
 * One attempt of a routed point query: read this instance's own replica, or forward to another
 * instance.
 */
public record Target(Instance instance, boolean local) {

  static Target local(Instance self) {
    return new Target(self, true);
  }

  static Target remote(Instance instance) {
    return new Target(instance, false);
  }
}
