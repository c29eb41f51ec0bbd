package io.streamdown.local;

import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Restarts services that die while the stack runs, as a container runtime's restart policy would: a
 * service whose process ends by itself (a crash, an out-of-memory kill, a {@code kill -9}) is
 * reported and started again on its ports after a back-off that doubles with each quick failure
 * (from {@code initialDelay} up to {@code maxDelay}) and starts over once a run lasted {@code
 * stableAfter}. Exits by SIGINT or SIGTERM are stops, not failures: they are reported and left
 * alone (Ctrl-C in a terminal reaches the services before the launcher's own stop). Services
 * stopped through {@link StackLauncher#stopService} are not restarted either.
 */
public final class Supervisor implements AutoCloseable {

  /** Exit codes of a JVM ended by SIGINT and SIGTERM (128 + signal number). */
  static final int SIGINT_EXIT = 130;

  static final int SIGTERM_EXIT = 143;

  private static final Duration POLL = Duration.ofMillis(250);

  /** What the supervisor knows of one service between polls. */
  private static final class Watch {
    ServiceProcess process;
    Instant startedAt;
    int quickFailures;
    Instant restartAt;
    boolean announcedReady = true;
  }

  private final StackLauncher stack;
  private final Consumer<String> report;
  private final Duration initialDelay;
  private final Duration maxDelay;
  private final Duration stableAfter;
  private final HttpClient http = Readiness.httpClient();
  private final Map<ServiceInstance, Watch> watches = new TreeMap<>();
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          runnable -> {
            Thread thread = new Thread(runnable, "streamdown-supervisor");
            thread.setDaemon(true);
            return thread;
          });
  private volatile boolean closed;
  private int restarts;

  Supervisor(
      StackLauncher stack,
      Consumer<String> report,
      Duration initialDelay,
      Duration maxDelay,
      Duration stableAfter) {
    this.stack = Objects.requireNonNull(stack, "stack");
    this.report = Objects.requireNonNull(report, "report");
    this.initialDelay = initialDelay;
    this.maxDelay = maxDelay;
    this.stableAfter = stableAfter;
  }

  /**
   * Watches the stack's services from now on: back-off from 1 s to 30 s, reset after a minute of
   * running.
   */
  public static Supervisor watch(StackLauncher stack, Consumer<String> report) {
    return watch(
        stack, report, Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofMinutes(1));
  }

  /** Watches with the given back-off. */
  public static Supervisor watch(
      StackLauncher stack,
      Consumer<String> report,
      Duration initialDelay,
      Duration maxDelay,
      Duration stableAfter) {
    Supervisor supervisor = new Supervisor(stack, report, initialDelay, maxDelay, stableAfter);
    supervisor.timer.scheduleWithFixedDelay(
        supervisor::pollSafely, 0, POLL.toMillis(), TimeUnit.MILLISECONDS);
    return supervisor;
  }

  /** How many restarts the supervisor has made so far. */
  public synchronized int restarts() {
    return restarts;
  }

  /** Stops watching; running services are left as they are. */
  @Override
  public void close() {
    closed = true;
    timer.shutdownNow();
  }

  private void pollSafely() {
    try {
      poll();
    } catch (RuntimeException e) {
      // One failed poll (e.g. a restart that could not spawn) must not end supervision.
      report.accept("supervisor: " + e.getMessage());
    }
  }

  private synchronized void poll() {
    Instant now = Instant.now();
    for (ServiceProcess process : stack.services()) {
      Watch watch = watches.computeIfAbsent(process.instance(), instance -> new Watch());
      if (watch.process != process && watch.restartAt == null) {
        watch.process = process;
        watch.startedAt = now;
      }
    }
    for (Map.Entry<ServiceInstance, Watch> entry : watches.entrySet()) {
      if (closed) {
        return;
      }
      ServiceInstance service = entry.getKey();
      Watch watch = entry.getValue();
      if (watch.restartAt != null) {
        if (!now.isBefore(watch.restartAt)) {
          restart(service, watch, now);
        }
      } else if (watch.process != null && !watch.process.isAlive()) {
        exited(service, watch, now);
      } else if (!watch.announcedReady && watch.process != null && watch.process.probeReady(http)) {
        watch.announcedReady = true;
        report.accept(
            service.name()
                + " is ready again ("
                + StackLauncher.seconds(Duration.between(watch.startedAt, now))
                + " after its restart)");
      }
    }
  }

  private void exited(ServiceInstance service, Watch watch, Instant now) {
    ServiceProcess dead = watch.process;
    int code = dead.exitCode().orElse(-1);
    if (!stack.forgetExited(service, dead)) {
      watch.process = null; // stopped on purpose, or the stack is closing
      return;
    }
    if (code == SIGINT_EXIT || code == SIGTERM_EXIT) {
      report.accept(
          service.name()
              + " was stopped by a signal (exit code "
              + code
              + "); not restarted");
      watch.process = null;
      return;
    }
    boolean quick = Duration.between(watch.startedAt, now).compareTo(stableAfter) < 0;
    watch.quickFailures = quick ? watch.quickFailures + 1 : 1;
    Duration delay = delay(watch.quickFailures);
    watch.restartAt = now.plus(delay);
    report.accept(
        service.name()
            + " exited unexpectedly (exit code "
            + code
            + "); restarting in "
            + StackLauncher.seconds(delay)
            + " (see "
            + dead.logFile()
            + ")");
  }

  private void restart(ServiceInstance service, Watch watch, Instant now) {
    watch.restartAt = null;
    Optional<ServiceProcess> started = stack.startAgain(service);
    if (started.isEmpty()) {
      watch.process = null;
      return;
    }
    watch.process = started.get();
    watch.startedAt = now;
    watch.announcedReady = false;
    restarts++;
  }

  /** 1, 2, 4, ... times the initial delay for the n-th quick failure in a row, at most the max. */
  Duration delay(int quickFailures) {
    long factor = 1L << Math.min(20, Math.max(0, quickFailures - 1));
    Duration delay = initialDelay.multipliedBy(factor);
    return delay.compareTo(maxDelay) > 0 ? maxDelay : delay;
  }
}
