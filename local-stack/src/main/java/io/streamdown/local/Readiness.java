package io.streamdown.local;

import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Waits for services started together to become ready, probing all of them in turn, and fails as
 * soon as one exits, rather than waiting out the deadline for a process that is gone.
 */
final class Readiness {

  private static final Duration POLL_INTERVAL = Duration.ofMillis(250);

  private Readiness() {}

  static HttpClient httpClient() {
    return HttpClient.newBuilder()
        .connectTimeout(Duration.ofSeconds(1))
        .version(HttpClient.Version.HTTP_1_1)
        .build();
  }

  /**
   * Returns when every service has answered UP.
   *
   * @param onReady called once per service as it becomes ready
   * @throws ServiceStartException if one exits or not all are ready within {@code timeout}
   */
  static void await(
      Collection<ServiceProcess> services,
      Duration timeout,
      HttpClient http,
      Consumer<ServiceProcess> onReady) {
    Instant deadline = Instant.now().plus(timeout);
    Set<ServiceProcess> pending = new LinkedHashSet<>(services);
    while (!pending.isEmpty()) {
      for (ServiceProcess service : List.copyOf(pending)) {
        if (!service.isAlive()) {
          throw ServiceStartException.exited(service);
        }
        if (service.probeReady(http)) {
          pending.remove(service);
          onReady.accept(service);
        }
      }
      if (pending.isEmpty()) {
        return;
      }
      if (Instant.now().isAfter(deadline)) {
        throw ServiceStartException.notReady(List.copyOf(pending), timeout);
      }
      pauseUnlessOneExits(pending);
    }
  }

  /** Waits one poll interval, or less if a pending process ends meanwhile. */
  private static void pauseUnlessOneExits(Collection<ServiceProcess> pending) {
    List<CompletableFuture<?>> exits = new ArrayList<>();
    for (ServiceProcess service : pending) {
      exits.add(service.onExit());
    }
    try {
      CompletableFuture.anyOf(exits.toArray(CompletableFuture[]::new))
          .get(POLL_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      // the usual case: nobody exited during this interval
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StackException("interrupted while waiting for the services to become ready", e);
    }
  }
}
