package io.streamdown.local;

import io.streamdown.schemas.TopicCatalog;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Everything a {@link StackLauncher} needs to know: where the repository and the data live, which
 * ports to use, which services to start and with which JVM options and arguments. Build one with
 * {@link #builder(Path)}; every setting has a default suited to {@code ./streamdown up}.
 *
 * <p>Below {@link #dataDir()} the stack keeps {@code kafka/} (the broker's log directory), {@code
 * logs/} (one log per service instance plus {@code broker.log} when run from the command line),
 * {@code state/<service>-<k>/} (Kafka Streams state of instance k) and {@code run/} (the
 * launcher's own files).
 *
 * @param home the repository root; service jars are found below it
 * @param dataDir the directory for all data and logs
 * @param ports every port of the stack
 * @param topicPrefix the topic name prefix passed to every service
 * @param partitions partitions of each pipeline topic when it is created
 * @param services the services to start (empty: only the broker and the topics)
 * @param jvmOptions JVM options for every service, in order (a later {@code -Xmx} wins)
 * @param appArgs extra application arguments for every service, after the launcher's own
 * @param serviceArgs extra application arguments for single services, after {@code appArgs}
 * @param startTimeout how long the services together may take to become ready
 * @param stopTimeout how long a service may take to stop after SIGTERM before it is killed
 * @param watchParent whether services stop by themselves when the launcher's process is gone
 * @param instances instances of each service that {@linkplain Service#scalesOut() scales out}
 *     (1 to {@link PortPlan#MAX_INSTANCES}); the others run once
 * @param standbyReplicas Kafka Streams standby replicas per task; empty: 1 when {@code instances}
 *     is above 1 and the services' own setting (0) otherwise
 */
public record StackOptions(
    Path home,
    Path dataDir,
    PortPlan ports,
    String topicPrefix,
    int partitions,
    Set<Service> services,
    List<String> jvmOptions,
    List<String> appArgs,
    Map<Service, List<String>> serviceArgs,
    Duration startTimeout,
    Duration stopTimeout,
    boolean watchParent,
    int instances,
    OptionalInt standbyReplicas) {

  /**
   * Small heaps and the serial collector: four service JVMs plus the broker share a laptop, and on
   * two cores the parallel collectors' threads only compete with the application. Which JIT
   * compilers a service runs is its own ({@link #defaultJitOptions}).
   */
  public static final List<String> DEFAULT_JVM_OPTIONS =
      List.of(
          "-Xmx256m",
          "-XX:+UseSerialGC",
          "-XX:MaxMetaspaceSize=192m",
          "-XX:ReservedCodeCacheSize=96m",
          "-Xss512k",
          "-XX:+ExitOnOutOfMemoryError");

  /** The quick JIT compiler (C1) alone. */
  public static final String QUICK_JIT_ONLY = "-XX:TieredStopAtLevel=1";

  /**
   * The optimizing compiler (C2) for a Streams stage's hottest code only: it compiles a method
   * once it has run three times as often as the JVM's default asks (invocations, loop iterations
   * and their sum). On shared cores a young stage spent a fifth to a third of its CPU in C2,
   * much of it on methods that run a few thousand times; their C1 code serves until they do
   * run that often, and the per-record path gets there within seconds at any real load (local-stack
   * README, "JIT compilers").
   */
  public static final List<String> HOT_PATH_ONLY_C2 =
      List.of(
          "-XX:Tier4InvocationThreshold=15000",
          "-XX:Tier4MinInvocationThreshold=1800",
          "-XX:Tier4CompileThreshold=45000",
          "-XX:Tier4BackEdgeThreshold=120000");

  /**
   * JVM options for a stack that lives a minute or two, such as a system test's: C1 alone in
   * every service, since C2 would spend such a stack's life compiling what it never runs often
   * enough to pay back.
   */
  public static final List<String> SHORT_LIVED_JVM_OPTIONS = List.of(QUICK_JIT_ONLY);

  /**
   * The JIT compilers of each service, given before {@link #jvmOptions()} so that a {@code
   * --java-opt -XX:TieredStopAtLevel=…} replaces them. Ingest and query run the quick compiler
   * (C1) alone: their work per request is mostly Tomcat's, Spring's and the Kafka client's, the
   * optimizing compiler (C2) spent 6 and 13 µs of CPU per event compiling it during W2 and its
   * code did not cost less per event. Enrich and aggregate keep the JVM's default, C1 then C2:
   * their per-record path runs millions of times, C2's code of it costs them about half the CPU
   * per event of C1's, and their CPU is the pipeline's throughput on two cores. The price is about
   * 10 s more start-up and some compiling in the first minutes, which {@link #HOT_PATH_ONLY_C2}
   * keeps to the code that pays it back (local-stack README, "JIT compilers").
   */
  public static List<String> defaultJitOptions(Service service) {
    return switch (service) {
      case INGEST, QUERY -> List.of(QUICK_JIT_ONLY);
      case ENRICH, AGGREGATE -> HOT_PATH_ONLY_C2;
    };
  }

  /**
   * The initial heap of each service, given before {@link #jvmOptions()} so that a {@code
   * --java-opt} replaces it. Ingest holds every request in flight until Kafka acknowledged it
   * (under W1's batch load about 20 MB), and with the collector's own sizing (a young generation
   * of about 40 MB, an old one just above its live data) it spent a tenth of its time in pauses:
   * young collections copying the requests in flight, and a full collection every few seconds.
   * A fixed 96 MB young generation and room in the old one take most of that away.
   *
   * <p>The Kafka Streams services hold records for up to a commit (the record caches, the
   * fetched batches), longer than the collector's own sizing let them stay young: with survivor
   * spaces of 2-3 MB they were promoted early, and enrich (whose de-duplication filters keep
   * 30-45 MB live in the old generation) did a full collection of about 150 ms every 6-20 s,
   * aggregate every 20-50 s, each stopping a stage of the pipeline. A fixed 40 MB young generation
   * with 8 MB survivor spaces, and room in enrich's old generation, keep aggregate's full
   * collections at none and halve enrich's (local-stack README, Memory).
   */
  public static List<String> defaultHeapOptions(Service service) {
    return switch (service) {
      case INGEST -> List.of("-Xms192m", "-Xmn96m");
      case ENRICH -> streamsHeap("-Xms128m");
      case AGGREGATE, QUERY -> streamsHeap("-Xms96m");
    };
  }

  /**
   * What a service's command starts with, before {@link #jvmOptions()}: its {@link
   * #defaultHeapOptions heap} and its {@link #defaultJitOptions JIT compilers}.
   */
  public static List<String> defaultServiceOptions(Service service) {
    List<String> options = new ArrayList<>(defaultHeapOptions(service));
    options.addAll(defaultJitOptions(service));
    return List.copyOf(options);
  }

  /** A Streams service's initial heap: 40 MB young, survivor spaces of 8 MB each. */
  private static List<String> streamsHeap(String initialHeap) {
    return List.of(initialHeap, "-Xmn40m", "-XX:SurvivorRatio=3");
  }

  /** The initial heap of the benchmark's peers' JVMs. */
  public static final List<String> SMALL_HEAP_START = List.of("-Xms64m");

  public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(180);
  public static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(30);

  public StackOptions {
    home = home.toAbsolutePath().normalize();
    dataDir = dataDir.toAbsolutePath().normalize();
    Objects.requireNonNull(ports, "ports");
    Objects.requireNonNull(topicPrefix, "topicPrefix");
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be at least 1, not " + partitions);
    }
    services = services.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(services));
    jvmOptions = List.copyOf(jvmOptions);
    appArgs = List.copyOf(appArgs);
    Map<Service, List<String>> argsCopy = new EnumMap<>(Service.class);
    serviceArgs.forEach((service, args) -> argsCopy.put(service, List.copyOf(args)));
    serviceArgs = Map.copyOf(argsCopy);
    requirePositive(startTimeout, "startTimeout");
    requirePositive(stopTimeout, "stopTimeout");
    PortPlan.requireInstances(instances);
    Objects.requireNonNull(standbyReplicas, "standbyReplicas");
    if (standbyReplicas.isPresent() && standbyReplicas.getAsInt() < 0) {
      throw new IllegalArgumentException(
          "standbyReplicas must not be negative, not " + standbyReplicas.getAsInt());
    }
    // Instances beyond the first derive their ports; they must not clash or leave 1-65535.
    PortPlan.requireDistinct(ports.uses(services, instances));
  }

  /** Options with every default, for the repository at {@code home}. */
  public static Builder builder(Path home) {
    return new Builder(home);
  }

  /** A builder holding these options, to change a few. */
  public Builder toBuilder() {
    Builder builder = new Builder(home);
    builder.dataDir = dataDir;
    builder.ports = ports;
    builder.topicPrefix = topicPrefix;
    builder.partitions = partitions;
    builder.services = EnumSet.noneOf(Service.class);
    builder.services.addAll(services);
    builder.jvmOptions = new ArrayList<>(jvmOptions);
    builder.appArgs = new ArrayList<>(appArgs);
    builder.serviceArgs = new EnumMap<>(Service.class);
    serviceArgs.forEach((service, args) -> builder.serviceArgs.put(service, new ArrayList<>(args)));
    builder.startTimeout = startTimeout;
    builder.stopTimeout = stopTimeout;
    builder.watchParent = watchParent;
    builder.instances = instances;
    builder.standbyReplicas = standbyReplicas;
    return builder;
  }

  /** The services to start, in pipeline order. */
  public List<Service> servicesInOrder() {
    return services.stream().sorted().toList();
  }

  /** Every instance to start: pipeline order, then instance number. */
  public List<ServiceInstance> instancesInOrder() {
    List<ServiceInstance> all = new ArrayList<>();
    for (Service service : servicesInOrder()) {
      for (int k = 0; k < service.instances(instances); k++) {
        all.add(new ServiceInstance(service, k));
      }
    }
    return List.copyOf(all);
  }

  /**
   * The standby replicas the services are told to keep: the chosen number, else 1 when several
   * instances run (a killed instance's stores then have a warm copy elsewhere); empty to leave the
   * services' own setting.
   */
  public OptionalInt effectiveStandbyReplicas() {
    if (standbyReplicas.isPresent()) {
      return standbyReplicas;
    }
    return instances > 1 ? OptionalInt.of(1) : OptionalInt.empty();
  }

  /** The broker's log directory: {@code <data>/kafka}. */
  public Path kafkaDir() {
    return dataDir.resolve("kafka");
  }

  /** {@code <data>/logs}. */
  public Path logsDir() {
    return dataDir.resolve("logs");
  }

  /** {@code <data>/logs/<module>.log}, the log of the service's first instance. */
  public Path logFile(Service service) {
    return logFile(ServiceInstance.first(service));
  }

  /** {@code <data>/logs/<module>.log} for instance 0, {@code <module>-<k>.log} for instance k. */
  public Path logFile(ServiceInstance instance) {
    return logsDir().resolve(instance.name() + ".log");
  }

  /** The Kafka Streams state directory of the service's first instance. */
  public Path stateDir(Service service) {
    return stateDir(ServiceInstance.first(service));
  }

  /** {@code <data>/state/<module>-<k>}: the Kafka Streams state directory of instance k. */
  public Path stateDir(ServiceInstance instance) {
    return dataDir
        .resolve("state")
        .resolve(instance.service().moduleName() + "-" + instance.index());
  }

  /**
   * {@code <data>/tmp/<instance>}: the {@code java.io.tmpdir} of one service instance, emptied
   * before each of its starts. Each start unpacks RocksDB's native library there (about 15 MB) and
   * creates embedded Tomcat's randomly named directories, which only a normal exit removes, and
   * Tomcat's not even then; in the machine's temporary directory every crash, SIGKILL or start
   * left them behind, hundreds over a day of tests and benchmarks. One directory per instance, so
   * that emptying it never races another instance's start.
   */
  public Path tempDir(ServiceInstance instance) {
    return dataDir.resolve("tmp").resolve(instance.name());
  }

  /** {@code <data>/run}: files of the launcher itself. */
  public Path runDir() {
    return dataDir.resolve("run");
  }

  /** The topic catalogue under this stack's prefix. */
  public TopicCatalog topicCatalog() {
    return new TopicCatalog(topicPrefix);
  }

  private static void requirePositive(Duration duration, String name) {
    if (duration == null || duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, not " + duration);
    }
  }

  /** Builds {@link StackOptions}; all setters return this builder. */
  public static final class Builder {
    private final Path home;
    private Path dataDir;
    private PortPlan ports = PortPlan.defaults();
    private String topicPrefix = TopicCatalog.DEFAULT_PREFIX;
    private int partitions = TopicCatalog.DEFAULT_PARTITIONS;
    private EnumSet<Service> services = EnumSet.allOf(Service.class);
    private List<String> jvmOptions = new ArrayList<>(DEFAULT_JVM_OPTIONS);
    private List<String> appArgs = new ArrayList<>();
    private Map<Service, List<String>> serviceArgs = new EnumMap<>(Service.class);
    private Duration startTimeout = DEFAULT_START_TIMEOUT;
    private Duration stopTimeout = DEFAULT_STOP_TIMEOUT;
    private boolean watchParent = true;
    private int instances = 1;
    private OptionalInt standbyReplicas = OptionalInt.empty();

    private Builder(Path home) {
      this.home = Objects.requireNonNull(home, "home");
      this.dataDir = home.resolve("data");
    }

    /** Default: {@code <home>/data}. */
    public Builder dataDir(Path dataDir) {
      this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
      return this;
    }

    /** Default: {@link PortPlan#defaults()}. */
    public Builder ports(PortPlan ports) {
      this.ports = Objects.requireNonNull(ports, "ports");
      return this;
    }

    /** Default: {@code streamdown.}. */
    public Builder topicPrefix(String topicPrefix) {
      this.topicPrefix = Objects.requireNonNull(topicPrefix, "topicPrefix");
      return this;
    }

    /** Default: 6. */
    public Builder partitions(int partitions) {
      this.partitions = partitions;
      return this;
    }

    /** Default: all four; none starts only the broker and the topics. */
    public Builder services(Collection<Service> services) {
      this.services = EnumSet.noneOf(Service.class);
      this.services.addAll(services);
      return this;
    }

    /** Replaces the JVM options (default {@link #DEFAULT_JVM_OPTIONS}). */
    public Builder jvmOptions(List<String> jvmOptions) {
      this.jvmOptions = new ArrayList<>(jvmOptions);
      return this;
    }

    /** Appends JVM options after the current ones, so they win over the defaults. */
    public Builder addJvmOptions(List<String> jvmOptions) {
      this.jvmOptions.addAll(jvmOptions);
      return this;
    }

    /**
     * Appends application arguments for every service, such as {@code --logging.level.root=debug}.
     */
    public Builder addAppArgs(List<String> appArgs) {
      this.appArgs.addAll(appArgs);
      return this;
    }

    /** Appends application arguments for one service. */
    public Builder addServiceArgs(Service service, List<String> args) {
      this.serviceArgs.computeIfAbsent(service, s -> new ArrayList<>()).addAll(args);
      return this;
    }

    /** Default: 180 s. */
    public Builder startTimeout(Duration startTimeout) {
      this.startTimeout = startTimeout;
      return this;
    }

    /** Default: 30 s. */
    public Builder stopTimeout(Duration stopTimeout) {
      this.stopTimeout = stopTimeout;
      return this;
    }

    /** Default: true. */
    public Builder watchParent(boolean watchParent) {
      this.watchParent = watchParent;
      return this;
    }

    /** Default: 1 instance of each service. */
    public Builder instances(int instances) {
      this.instances = instances;
      return this;
    }

    /** Default: 1 when several instances run, the services' own setting otherwise. */
    public Builder standbyReplicas(int standbyReplicas) {
      this.standbyReplicas = OptionalInt.of(standbyReplicas);
      return this;
    }

    public StackOptions build() {
      return new StackOptions(
          home,
          dataDir,
          ports,
          topicPrefix,
          partitions,
          services,
          jvmOptions,
          appArgs,
          serviceArgs,
          startTimeout,
          stopTimeout,
          watchParent,
          instances,
          standbyReplicas);
    }
  }
}
