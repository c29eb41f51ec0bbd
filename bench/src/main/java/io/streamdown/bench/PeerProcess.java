package io.streamdown.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A benchmark peer's child process (output and errors in one stream), killed if this JVM exits
 * first: an interrupted benchmark must not leave a peer running. {@link #stop} or {@link #release}
 * removes that safeguard once the peer has ended.
 */
final class PeerProcess {

  private final Process process;
  private final Thread killOnExit;

  private PeerProcess(Process process, String name) {
    this.process = process;
    this.killOnExit = new Thread(process::destroyForcibly, name + "-kill");
    Runtime.getRuntime().addShutdownHook(killOnExit);
  }

  /**
   * Starts {@code command}.
   *
   * @param name the peer, for the hook's thread and the error
   * @throws UncheckedIOException if it cannot start
   */
  static PeerProcess start(List<String> command, String name) {
    try {
      return new PeerProcess(new ProcessBuilder(command).redirectErrorStream(true).start(), name);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name, e);
    }
  }

  Process process() {
    return process;
  }

  /**
   * Waits up to {@code timeout} for {@code ready} (completed from the peer's output); if it fails
   * or does not come, stops the peer and throws, naming it and its output file.
   *
   * @param what the peer, for the error ("the Camel peer")
   * @throws IllegalStateException if the peer is not ready in time, exited, or this thread was
   *     interrupted
   */
  <T> T awaitReady(
      CompletableFuture<T> ready, Duration timeout, Duration stopTimeout, String what, Path log) {
    try {
      return ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      stop(stopTimeout);
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      throw new IllegalStateException(
          what
              + " did not get ready within "
              + timeout.toSeconds()
              + " s (output "
              + log
              + "): "
              + cause.getMessage(),
          cause);
    } catch (InterruptedException e) {
      stop(stopTimeout);
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting " + what, e);
    }
  }

  /** SIGTERM (the peer's own shutdown runs), up to {@code timeout}, then SIGKILL. */
  void stop(Duration timeout) {
    process.destroy();
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    } finally {
      release();
    }
  }

  /** Forgets the exit hook, for a peer that has ended. */
  void release() {
    try {
      Runtime.getRuntime().removeShutdownHook(killOnExit);
    } catch (IllegalStateException e) {
      // the JVM is shutting down already; the hook kills a process that is gone
    }
  }
}
