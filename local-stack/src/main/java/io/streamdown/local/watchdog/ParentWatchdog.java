package io.streamdown.local.watchdog;

/**
 * A Java agent that shuts its JVM down when the process that started it ends, so a service started
 * by the local stack does not outlive a launcher that was killed without running its shutdown hooks
 * ({@code kill -9}, a crashed test JVM). The JVM exits through {@link System#exit}, so the
 * service's own shutdown hooks (Spring's graceful shutdown, Kafka Streams' close) still run.
 *
 * <p>Loaded with {@code -javaagent:<jar>=<parent pid>}; the launcher writes the one-class jar
 * itself ({@code ParentWatchdogJar}). This class must use nothing but the JDK: it is the only class
 * on the agent jar's class path.
 */
public final class ParentWatchdog {

  private ParentWatchdog() {}

  /** Agent entry point; {@code args} is the pid to watch. */
  public static void premain(String args) {
    long parentPid;
    try {
      parentPid = Long.parseLong(args == null ? "" : args.trim());
    } catch (NumberFormatException e) {
      System.err.println(
          "[parent-watchdog] expected a parent pid, got '" + args + "'; not watching");
      return;
    }
    ProcessHandle.of(parentPid)
        .ifPresentOrElse(
            parent -> parent.onExit().thenRun(() -> exit(parentPid)), () -> exit(parentPid));
  }

  private static void exit(long parentPid) {
    // A thread of its own: System.exit blocks until the shutdown hooks have run, which must not
    // hold up the JDK's process-reaper pool that completes onExit().
    Thread exiter =
        new Thread(
            () -> {
              System.err.println(
                  "[parent-watchdog] launcher process " + parentPid + " is gone; shutting down");
              System.exit(0);
            },
            "parent-watchdog-exit");
    exiter.setDaemon(false);
    exiter.start();
  }
}
