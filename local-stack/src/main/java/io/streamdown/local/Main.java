package io.streamdown.local;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The launcher's command line, run by the {@code streamdown} script: {@code up} starts the broker
 * and the services, prints where everything is and runs until SIGINT or SIGTERM, on which a
 * shutdown hook stops the services and then the broker. Meanwhile a {@link Supervisor} restarts
 * any service that dies.
 *
 * <p>Exit codes: 0 after a normal stop, 1 if the stack could not start, 2 for a wrong command line.
 */
public final class Main {

  private Main() {}

  public static void main(String[] args) {
    int code = run(args, System.out, System.err);
    if (code != 0) {
      System.exit(code);
    }
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    CommandLine.Command command;
    try {
      command = CommandLine.parse(Arrays.asList(args), Path.of("").toAbsolutePath());
    } catch (UsageException e) {
      err.println("streamdown: " + e.getMessage());
      err.println();
      err.print(CommandLine.USAGE);
      return 2;
    }
    if (command instanceof CommandLine.Up up) {
      return up(up.options(), out, err);
    }
    out.print(CommandLine.USAGE);
    return 0;
  }

  private static int up(StackOptions options, PrintStream out, PrintStream err) {
    Instant begin = ProcessHandle.current().info().startInstant().orElse(Instant.now());
    logBrokerTo(options.logsDir().resolve("broker.log"));
    out.println("streamdown: starting the local stack (data " + options.dataDir() + ")");

    StackLauncher launcher =
        new StackLauncher(options).onProgress(line -> out.println("  " + line));
    CountDownLatch stopped = new CountDownLatch(1);
    AtomicBoolean stopping = new AtomicBoolean();
    AtomicReference<Supervisor> supervisor = new AtomicReference<>();
    Thread hook =
        new Thread(
            () -> {
              stopping.set(true);
              Supervisor watching = supervisor.get();
              if (watching != null) {
                watching.close();
              }
              out.println("streamdown: stopping (services first, then the broker)...");
              launcher.close();
              out.println("streamdown: stopped");
              stopped.countDown();
            },
            "streamdown-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);

    try {
      launcher.start();
    } catch (RuntimeException e) {
      if (!removeHook(hook)) {
        // Stopped by a signal while starting: the hook reports the stop, not this failure.
        awaitQuietly(stopped);
        return 0;
      }
      err.println("streamdown: " + e.getMessage());
      if (!(e instanceof StackException)) {
        e.printStackTrace(err);
      }
      return 1;
    }

    out.println();
    out.println(Summary.render(options, Duration.between(begin, Instant.now())));
    // Like a container runtime's restart policy: a service that dies is reported and restarted
    // with back-off until the stack stops.
    supervisor.set(
        Supervisor.watch(
            launcher,
            line -> {
              if (!stopping.get()) {
                err.println("streamdown: " + line);
              }
            }));
    if (stopping.get()) {
      supervisor.get().close(); // the hook ran before the supervisor existed
    }
    awaitQuietly(stopped);
    return 0;
  }

  /**
   * Sends the broker's logs (slf4j-simple) to a file instead of the console, unless the caller
   * chose otherwise with {@code -Dorg.slf4j.simpleLogger...}. Must run before the first logger is
   * created.
   */
  private static void logBrokerTo(Path logFile) {
    try {
      Files.createDirectories(logFile.getParent());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + logFile.getParent(), e);
    }
    setIfAbsent("org.slf4j.simpleLogger.logFile", logFile.toString());
    setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", "info");
  }

  private static void setIfAbsent(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }

  /** False if the JVM is already shutting down (the hook is running or has run). */
  private static boolean removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
      return true;
    } catch (IllegalStateException shuttingDown) {
      return false;
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
