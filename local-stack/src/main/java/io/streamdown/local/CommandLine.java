package io.streamdown.local;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/**
 * Parses the launcher's command line ({@code up [options] [-- service args]}, {@code help}) into a
 * {@link Command}. Options take their value as {@code --name value} or {@code --name=value}.
 */
final class CommandLine {

  /** What the launcher is asked to do. */
  sealed interface Command permits Help, Up {}

  /** Print the usage. */
  record Help() implements Command {}

  /** Start the stack with these options and run until stopped. */
  record Up(StackOptions options) implements Command {}

  static final String USAGE =
      """
      Usage: streamdown <command> [options]

      Commands:
        up      Build what is stale, start the Kafka broker and the four services,
                print their URLs and run until Ctrl-C, which stops everything.
        bench   Build what is stale, start a local stack of its own (or reuse the one
                whose ports answer) and run the benchmark workloads; writes the report
                to bench/results/. `streamdown bench --help` lists its options.
        soak    Run the fault-injection system test at soak size (1,000,000 events,
                10 SIGKILLs, 2 broker restarts) through Maven; `streamdown soak --help`.
        help    Show this text.

      Options of up:
        --data DIR              data directory (broker data, logs, state)  [<repo>/data]
        --prefix PREFIX         topic name prefix                          [streamdown.]
        --partitions N          partitions of each topic when created      [6]
        --broker-port N         Kafka client port                          [9092]
        --controller-port N     KRaft controller port                      [9093]
        --http-port-base N      services listen on N+1 (ingest), N+2 (enrich),
                                N+3 (aggregate), N+4 (query)               [8080]
        --management-offset N   actuator port = service port + N           [1000]
        --instances N           instances of enrich, aggregate and query (1-6);
                                instance k listens on its ports + 100*k,
                                ingest runs once                           [1]
        --standby-replicas N    Kafka Streams standby replicas of each task:
                                default 1 with --instances above 1, else 0
        --timeout SECONDS       how long the services may take to be ready [180]
        --java-opt OPTION       extra JVM option for every service (repeatable;
                                after the defaults, so -Xmx512m wins)
        --broker-only           start only the broker and create the topics
        --with-prometheus       also run Prometheus (the `prometheus` binary on the
                                PATH) scraping the four services, with the alert rules
                                of ops/prometheus; its data goes to <data>/prometheus
        --prometheus-port N     Prometheus' port (with --with-prometheus)    [9090]
        --no-build              do not rebuild stale jars first
        --rebuild               rebuild even if the jars look up to date
        --home DIR              repository root (the script passes it)
        -- ARGS...              everything after -- goes to every service,
                                e.g. -- --logging.level.io.streamdown=debug

      Environment:
        STREAMDOWN_JAVA_OPTS    JVM options of the launcher (which runs the broker)
        STREAMDOWN_MVN_ARGS     extra arguments for the build, e.g. -o
      """;

  private CommandLine() {}

  /**
   * @param args the arguments after the program name
   * @param workingDir the directory relative paths are resolved against
   */
  static Command parse(List<String> args, Path workingDir) throws UsageException {
    if (args.isEmpty()) {
      throw new UsageException("no command given");
    }
    String command = args.get(0);
    List<String> rest = args.subList(1, args.size());
    return switch (command) {
      case "help", "--help", "-h" -> new Help();
      case "up" -> parseUp(rest, workingDir);
      default -> throw new UsageException("unknown command '" + command + "'");
    };
  }

  private static Command parseUp(List<String> args, Path workingDir) throws UsageException {
    Path home = workingDir;
    Path dataDir = null;
    String prefix = null;
    Integer partitions = null;
    int brokerPort = PortPlan.DEFAULT_BROKER_PORT;
    int controllerPort = PortPlan.DEFAULT_CONTROLLER_PORT;
    int httpBase = PortPlan.DEFAULT_HTTP_BASE;
    int managementOffset = PortPlan.DEFAULT_MANAGEMENT_OFFSET;
    Duration timeout = StackOptions.DEFAULT_START_TIMEOUT;
    boolean brokerOnly = false;
    int instances = 1;
    Integer standbyReplicas = null;
    List<String> javaOptions = new ArrayList<>();
    List<String> appArgs = new ArrayList<>();

    Cursor cursor = new Cursor(args);
    while (cursor.hasNext()) {
      String arg = cursor.next();
      if (arg.equals("--")) {
        appArgs.addAll(cursor.remaining());
        break;
      }
      String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
      switch (name) {
        case "--help", "-h" -> {
          return new Help();
        }
        case "--no-build", "--rebuild" -> cursor.flag(arg); // the script's; nothing to do here
        case "--home" -> home = workingDir.resolve(cursor.value(arg));
        case "--data" -> dataDir = workingDir.resolve(cursor.value(arg));
        case "--prefix" -> prefix = cursor.value(arg);
        case "--partitions" -> partitions = cursor.intValue(arg, 1, 10_000);
        case "--broker-port" -> brokerPort = cursor.intValue(arg, 1, 65535);
        case "--controller-port" -> controllerPort = cursor.intValue(arg, 1, 65535);
        case "--http-port-base" -> httpBase = cursor.intValue(arg, 1, 65535 - 4);
        case "--management-offset" -> managementOffset = cursor.intValue(arg, -65530, 65530);
        case "--timeout" -> timeout = Duration.ofSeconds(cursor.intValue(arg, 1, 86_400));
        case "--java-opt" -> javaOptions.add(cursor.value(arg));
        case "--broker-only" -> brokerOnly = cursor.flag(arg);
        case "--instances" -> instances = cursor.intValue(arg, 1, PortPlan.MAX_INSTANCES);
        case "--standby-replicas" -> standbyReplicas = cursor.intValue(arg, 0, 5);
        default -> throw new UsageException("unknown option '" + arg + "' for up");
      }
    }

    PortPlan ports;
    try {
      ports = PortPlan.fromBase(brokerPort, controllerPort, httpBase, managementOffset);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    StackOptions.Builder options =
        StackOptions.builder(home.toAbsolutePath().normalize())
            .ports(ports)
            .startTimeout(timeout)
            .addJvmOptions(javaOptions)
            .addAppArgs(appArgs);
    if (dataDir != null) {
      options.dataDir(dataDir);
    }
    if (prefix != null) {
      options.topicPrefix(prefix);
    }
    if (partitions != null) {
      options.partitions(partitions);
    }
    if (brokerOnly) {
      options.services(EnumSet.noneOf(Service.class));
    }
    options.instances(instances);
    if (standbyReplicas != null) {
      options.standbyReplicas(standbyReplicas);
    }
    try {
      return new Up(options.build());
    } catch (IllegalArgumentException e) {
      // e.g. further instances' ports clash with another service's or leave 1-65535
      throw new UsageException(e.getMessage());
    }
  }

  /** Walks the arguments, handing out option values. */
  private static final class Cursor {
    private final List<String> args;
    private int next;

    Cursor(List<String> args) {
      this.args = args;
    }

    boolean hasNext() {
      return next < args.size();
    }

    String next() {
      return args.get(next++);
    }

    List<String> remaining() {
      List<String> rest = List.copyOf(args.subList(next, args.size()));
      next = args.size();
      return rest;
    }

    /** The value of {@code arg}: after its '=', or the next argument. */
    String value(String arg) throws UsageException {
      int equals = arg.indexOf('=');
      if (equals >= 0) {
        return arg.substring(equals + 1);
      }
      if (!hasNext() || args.get(next).startsWith("--")) {
        throw new UsageException("option " + arg + " needs a value");
      }
      return next();
    }

    int intValue(String arg, int min, int max) throws UsageException {
      String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
      String value = value(arg);
      int number;
      try {
        number = Integer.parseInt(value.trim());
      } catch (NumberFormatException e) {
        throw new UsageException("option " + name + " needs a number, not '" + value + "'");
      }
      if (number < min || number > max) {
        throw new UsageException(
            "option " + name + " must be between " + min + " and " + max + ", not " + number);
      }
      return number;
    }

    boolean flag(String arg) throws UsageException {
      if (arg.contains("=")) {
        throw new UsageException(
            "option " + arg.substring(0, arg.indexOf('=')) + " takes no value");
      }
      return true;
    }
  }
}
