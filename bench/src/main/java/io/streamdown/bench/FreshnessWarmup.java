package io.streamdown.bench;

import java.time.Duration;
import java.util.List;

/**
 * W3's own measuring, run once unmeasured during the pipeline's warm-up: its marker trail (a
 * {@code read_committed} consumer of four topics) and its marker posts and queries, at W3's
 * cadence.
 *
 * <p>Why: the trail is the first Kafka consumer in the benchmark's JVM, and its first fetches
 * and the markers' path are compiled by the JIT while they run. When this JVM also hosted the
 * broker (it no longer does: {@link BenchBroker}), broker and consumer shared Kafka's network and
 * record classes, and the trail's first fetches threw away some 750 methods compiled for the
 * broker in W3's first ten seconds, after which C2 took 0.3-0.5 of a core for 20 s on the two
 * cores whose load the markers measure. Done here, whatever compiling is left happens while
 * nothing is measured.
 */
final class FreshnessWarmup implements AutoCloseable {

  /** Above every marker number a measured run uses, since a marker must be alone in its group. */
  static final long FIRST_MARKER = 1_000_000L;

  /** Past the warm-up: the last markers' time to show, and a margin. */
  private static final long JOIN_MILLIS = Freshness.GIVE_UP.plusSeconds(10).toMillis();

  private final MarkerTrail trail;
  private final Thread thread;
  private volatile Freshness.Result result;

  private FreshnessWarmup(
      StackClient client, String bootstrap, List<MarkerTrail.Hop> hops, Duration duration) {
    trail = MarkerTrail.start(bootstrap, hops);
    thread =
        new Thread(
            () ->
                result =
                    Freshness.measure(
                        client,
                        duration,
                        FIRST_MARKER,
                        trail,
                        line -> {}),
            "w3-warmup");
    thread.setDaemon(true);
    thread.start();
  }

  /** Starts posting markers for {@code duration} and following them over {@code hops}. */
  static FreshnessWarmup start(
      StackClient client, String bootstrap, List<MarkerTrail.Hop> hops, Duration duration) {
    return new FreshnessWarmup(client, bootstrap, hops, duration);
  }

  /** What the warm-up measured (for its test; the report leaves it out); null before close. */
  Freshness.Result result() {
    return result;
  }

  /** Waits for the markers' measuring to end, then stops the trail. */
  @Override
  public void close() {
    try {
      thread.join(JOIN_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      trail.close();
    }
  }
}
