package io.streamdown.local;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Starts and stops the whole local stack: a {@link LocalKafkaBroker} in this JVM, the pipeline
 * topics, and the services as child processes ({@link ServiceProcess}). Used by {@code ./streamdown
 * up} and by end-to-end tests:
 *
 * <pre>{@code
 * StackOptions options = StackOptions.builder(repositoryRoot)
 *     .dataDir(temporaryDir)
 *     .ports(PortPlan.freePorts())
 *     .build();
 * try (StackLauncher stack = StackLauncher.start(options)) {
 *   URI events = stack.service(Service.INGEST).url("/api/v1/events");
 *   String bootstrap = stack.bootstrapServers();
 *   ...
 * }
 * }</pre>
 *
 * <p>With {@link StackOptions#instances()} above 1 every service that scales out runs that many
 * times ({@link ServiceInstance}), each instance on its own ports, state directory and log; {@link
 * #service(Service)} and the other methods taking a {@link Service} mean its first instance.
 *
 * <p>{@link #start()} checks everything it can before starting anything (the service jars exist,
 * every port is free), then starts the broker, creates the topics, starts the services in parallel
 * and waits until each one's readiness probe answers UP. If any step fails it stops what it had
 * started and throws a {@link StackException} whose message names the failing part and its log.
 * {@link #close()} stops the services first (SIGTERM, a deadline, then SIGKILL), then the broker.
 *
 * <p>Services started with {@link StackOptions#watchParent()} (the default) carry a small agent
 * that ends them when this JVM's process is gone, so even a launcher killed with SIGKILL leaves no
 * services behind (they notice within about a second).
 *
 * <p>Thread-safe: {@link #close()} may run from a shutdown hook while {@link #start()} is still
 * waiting; the start then fails and nothing is left running.
 */
public final class StackLauncher implements AutoCloseable {

  private final StackOptions options;
  private final HttpClient http = Readiness.httpClient();
  private final Map<ServiceInstance, ServiceProcess> processes =
      Collections.synchronizedMap(new TreeMap<>());
  private volatile Consumer<String> progress = message -> {};
  private volatile LocalKafkaBroker broker;
  private volatile String externalBroker;
  private volatile boolean closed;
  private volatile Duration startupTime;
  private Optional<Path> watchdogAgent = Optional.empty();

  public StackLauncher(StackOptions options) {
    this.options = Objects.requireNonNull(options, "options");
  }

  /**
   * Creates a launcher and {@linkplain #start() starts} the stack.
   *
   * @throws StackException if the stack cannot start; nothing is left running then
   */
  public static StackLauncher start(StackOptions options) {
    StackLauncher launcher = new StackLauncher(options);
    launcher.start();
    return launcher;
  }

  /** Receives one line per step (broker ready, topics created, each service ready). */
  public StackLauncher onProgress(Consumer<String> listener) {
    this.progress = Objects.requireNonNull(listener, "listener");
    return this;
  }

  public StackOptions options() {
    return options;
  }

  /**
   * Runs the services against a broker that is already running (for example a container in a
   * test, or a broker in a JVM of its own) instead of starting one in this JVM; call before
   * {@link #start()}. The launcher creates the topics there but never stops that broker, and its
   * pre-flight leaves the planned broker and controller ports alone (that broker may use them).
   */
  public StackLauncher useExternalBroker(String bootstrapServers) {
    this.externalBroker = Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    return this;
  }

  /**
   * Pre-flight, broker, topics, services, readiness; returns when every service is ready.
   *
   * @throws PortsInUseException if a port is taken (nothing was started)
   * @throws ServiceStartException if a service exits or is not ready in time
   * @throws StackException for other failures; whatever was started has been stopped
   */
  public void start() {
    Instant begin = Instant.now();
    preflight();
    try {
      startBroker();
      List<String> created =
          TopicSetup.ensureTopics(
              bootstrapServers(), options.topicCatalog(), options.partitions());
      progress.accept(
          created.isEmpty()
              ? "topics already exist"
              : "created topics " + String.join(", ", created));
      List<ServiceProcess> started = new ArrayList<>();
      for (ServiceInstance instance : options.instancesInOrder()) {
        started.add(startServiceProcess(instance));
      }
      Readiness.await(
          started,
          options.startTimeout(),
          http,
          ready ->
              progress.accept(
                  ready.name()
                      + " ready in "
                      + seconds(ready.readyAfter().orElseThrow())));
      startupTime = Duration.between(begin, Instant.now());
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /**
   * Checks, without starting anything, that every service jar exists and every port is free.
   *
   * @throws PortsInUseException naming each taken port and its role
   * @throws StackException if a jar is missing
   */
  public void preflight() {
    List<String> missing = new ArrayList<>();
    for (Service service : options.servicesInOrder()) {
      Path jar = service.jar(options.home());
      if (!Files.isRegularFile(jar)) {
        missing.add("  " + jar);
      }
    }
    if (!missing.isEmpty()) {
      throw new StackException(
          "service jars not found (build them with `mvn -B -q -DskipTests package` in "
              + options.home()
              + ", which ./streamdown up does for you):"
              + System.lineSeparator()
              + String.join(System.lineSeparator(), missing));
    }
    List<PortUse> uses =
        new ArrayList<>(options.ports().uses(options.servicesInOrder(), options.instances()));
    if (externalBroker != null) {
      // Another process's broker listens there by design; this launcher binds neither port.
      PortPlan plan = options.ports();
      uses.removeIf(
          use -> use.port() == plan.brokerPort() || use.port() == plan.controllerPort());
    }
    PortCheck.requireFree(uses);
  }

  /** The broker's address, {@code localhost:<port>}. */
  public String bootstrapServers() {
    String external = externalBroker;
    return external != null ? external : options.ports().bootstrapServers();
  }

  /** The running broker. */
  public LocalKafkaBroker broker() {
    LocalKafkaBroker current = broker;
    if (current == null) {
      throw new IllegalStateException("the broker is not running");
    }
    return current;
  }

  /** The process of a started service's first instance. */
  public ServiceProcess service(Service service) {
    return service(ServiceInstance.first(service));
  }

  /** The process of a started instance. */
  public ServiceProcess service(ServiceInstance instance) {
    ServiceProcess process = processes.get(instance);
    if (process == null) {
      throw new IllegalStateException(instance.name() + " was not started");
    }
    return process;
  }

  /** The running instances of {@code service}, by instance number. */
  public List<ServiceProcess> instances(Service service) {
    return services().stream().filter(process -> process.service() == service).toList();
  }

  /** The started services, in pipeline order. */
  public List<ServiceProcess> services() {
    synchronized (processes) {
      return List.copyOf(processes.values());
    }
  }

  /** How long {@link #start()} took, once it has succeeded. */
  public Optional<Duration> startupTime() {
    return Optional.ofNullable(startupTime);
  }

  /**
   * Stops one service (SIGTERM, then SIGKILL after the stop timeout), for tests of what the
   * pipeline does without it.
   *
   * @return its exit code
   */
  public int stopService(Service service) {
    return stopService(ServiceInstance.first(service));
  }

  /** Stops one instance as {@link #stopService(Service)} does. */
  public int stopService(ServiceInstance instance) {
    ServiceProcess process = processes.remove(instance);
    if (process == null) {
      throw new IllegalStateException(instance.name() + " is not running");
    }
    return process.stop(options.stopTimeout());
  }

  /**
   * Kills one instance with SIGKILL, as a crash would (no graceful shutdown, no leaving the
   * consumer group), and waits until the process is gone. It is not restarted by itself.
   *
   * @return its exit code (137)
   */
  public int killService(ServiceInstance instance) {
    ServiceProcess process = processes.remove(instance);
    if (process == null) {
      throw new IllegalStateException(instance.name() + " is not running");
    }
    return process.kill();
  }

  /**
   * Starts a service that is not running (again, after {@link #stopService}) on its planned ports,
   * and waits until it is ready.
   *
   * @throws ServiceStartException if it exits or is not ready within the start timeout
   */
  public ServiceProcess startService(Service service) {
    return startService(ServiceInstance.first(service));
  }

  /** Starts one instance again as {@link #startService(Service)} does. */
  public ServiceProcess startService(ServiceInstance instance) {
    ServiceProcess process = startServiceNoWait(instance);
    process.awaitHealthy(options.startTimeout());
    return process;
  }

  /**
   * Starts an instance that is not running on its planned ports and returns at once, for callers
   * that watch its start-up themselves.
   */
  public ServiceProcess startServiceNoWait(ServiceInstance instance) {
    if (processes.containsKey(instance)) {
      throw new IllegalStateException(instance.name() + " is already running");
    }
    return startServiceProcess(instance);
  }

  /**
   * Forgets a service whose process ended by itself, so that it can be started again; false when
   * it was stopped on purpose ({@link #stopService}), replaced already, or the stack is closing.
   */
  boolean forgetExited(ServiceInstance instance, ServiceProcess exited) {
    synchronized (processes) {
      if (closed || processes.get(instance) != exited || exited.isAlive()) {
        return false;
      }
      processes.remove(instance);
      return true;
    }
  }

  /**
   * Starts a service that is not running, without waiting for it to be ready; empty when the stack
   * is closing or the service runs already (someone else started it meanwhile).
   */
  Optional<ServiceProcess> startAgain(ServiceInstance instance) {
    synchronized (this) {
      if (closed || processes.containsKey(instance)) {
        return Optional.empty();
      }
      return Optional.of(startServiceProcess(instance));
    }
  }

  /**
   * Restarts the broker in place (same ports, same data) while the services keep running, as an
   * operator's broker restart would; they reconnect by themselves. Returns once the broker answers
   * again.
   *
   * @param downtime how long the broker stays down between stopping and starting again
   * @return from the start of the shutdown until the broker answered again
   */
  public Duration restartBroker(Duration downtime) {
    ensureOpen();
    Duration took = broker().restart(downtime);
    progress.accept("broker restarted in " + seconds(took));
    return took;
  }

  /** Stops the services, then the broker. Safe to call more than once and from any thread. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    List<ServiceProcess> running = services();
    for (ServiceProcess process : running) {
      process.terminate();
    }
    for (ServiceProcess process : running) {
      try {
        int code = process.awaitExit(options.stopTimeout());
        progress.accept(process.name() + " stopped (exit code " + code + ")");
      } catch (StackException e) {
        progress.accept(e.getMessage());
      }
    }
    processes.clear();
    LocalKafkaBroker current = broker;
    if (current != null) {
      current.close();
      progress.accept("broker stopped");
    }
  }

  private void startBroker() {
    ensureOpen();
    if (externalBroker != null) {
      progress.accept("using the broker at " + externalBroker);
      return;
    }
    LocalKafkaBroker started =
        LocalKafkaBroker.start(
            options.kafkaDir(), options.ports().brokerPort(), options.ports().controllerPort());
    broker = started;
    progress.accept(
        "broker ready at "
            + started.bootstrapServers()
            + " in "
            + seconds(started.startupTime())
            + (started.formattedOnStart() ? " (new storage)" : " (existing data)"));
    // close() may have run while the broker was starting; it could not stop it then.
    if (closed) {
      started.close();
      throw new StackException("the stack was stopped while it was starting");
    }
  }

  private synchronized ServiceProcess startServiceProcess(ServiceInstance instance) {
    ensureOpen();
    if (options.watchParent() && watchdogAgent.isEmpty()) {
      watchdogAgent =
          Optional.of(ParentWatchdogJar.write(options.runDir().resolve("parent-watchdog.jar")));
    }
    List<String> command =
        ServiceCommand.build(
            options,
            instance,
            ServiceCommand.currentJava(),
            watchdogAgent,
            ProcessHandle.current().pid());
    if (externalBroker != null) {
      String bootstrap = "--spring.kafka.bootstrap-servers=";
      String external = externalBroker;
      command =
          command.stream()
              .map(arg -> arg.startsWith(bootstrap) ? bootstrap + external : arg)
              .toList();
    }
    // The instance's last JVM has exited: what it left in its temporary directory is garbage.
    Path tempDir = options.tempDir(instance);
    try {
      FileTrees.delete(tempDir);
      Files.createDirectories(tempDir);
    } catch (IOException e) {
      throw new StackException(
          "cannot prepare " + tempDir + " for " + instance.name() + ": " + e, e);
    }
    ServiceProcess process =
        ServiceProcess.start(
            instance,
            options.ports().ports(instance),
            command,
            options.logFile(instance),
            options.home());
    processes.put(instance, process);
    progress.accept(
        "started "
            + instance.name()
            + " (pid "
            + process.pid()
            + ", log "
            + process.logFile()
            + ")");
    return process;
  }

  private void ensureOpen() {
    if (closed) {
      throw new StackException("the stack was stopped while it was starting");
    }
  }

  static String seconds(Duration duration) {
    return String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
  }
}
