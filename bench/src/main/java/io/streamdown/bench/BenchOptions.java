package io.streamdown.bench;

import io.streamdown.local.Service;
import io.streamdown.local.StackOptions;
import io.streamdown.schemas.TopicCatalog;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The command line of {@code ./streamdown bench [workload...] [--duration D] [--rate R]
 * [--single-rate R] [--w3-rate R] [--w3-duration D] [--w5-events N] [--restore-windows N]
 * [--partitions N] [--streams-property K=V ...] [--java-opt OPTION ...]
 * [--broker-java-opt OPTION ...] [--out DIR] [--home DIR]}.
 * Workloads: {@code all} (default), {@code w0} .. {@code w5}, and {@code restore}, which only runs
 * when named; {@code w2} includes the at-least-once comparison unless {@code --no-alos}.
 *
 * @param workloads the workloads to run
 * @param duration how long each load phase runs
 * @param rate the offered event rate of the batch phase (events/s, 100 per POST)
 * @param singleRate the offered request rate of the single-event phase (events/s, 1 per POST)
 * @param w3Rate the background load of W3 and W4 (events/s), or NaN for half of W2's sustainable
 *     rate (half of {@code rate} when W2 does not run): a fixed load, to compare settings at the
 *     same load instead of at a load that follows each variant's W2
 * @param w3Duration how long W3's markers run ({@code duration} unless given): a long W3 after
 *     a short W2 is a soak test of freshness at one load, without lengthening W2's steps
 * @param home the repository root
 * @param out where the report goes
 * @param alos whether W2 also runs the pipeline at-least-once (a second stack)
 * @param fresh never reuse a running stack, always start one on free ports
 * @param w5Events the size of W5's backlog (events)
 * @param w5Span the event time W5's backlog covers: the default (30 s, Flink's bound on disorder)
 *     makes no event late in either engine however the partitions interleave; a longer span is a
 *     catch-up across windows, where an engine that measures lateness against the newest event
 *     of any partition drops events
 * @param restoreWindows the windows in {@code aggregates} when the restore workload wipes query's
 *     state
 * @param partitions partitions of every pipeline topic of the stacks the benchmark starts (and so
 *     tasks per sub-topology), to measure what a transaction's breadth costs against the default
 * @param streamsProperties Kafka Streams properties ({@code key=value}) for the Streams services
 *     of every stack the benchmark starts, to measure a setting against the defaults
 * @param javaOptions JVM options for every service JVM the benchmark starts and for the peers
 *     (Camel, Flink), after their defaults, to measure a JVM setting on both sides alike
 * @param brokerJavaOptions JVM options for the broker's JVM (the launcher) of every stack the
 *     benchmark starts, after its defaults, to measure a setting of the broker's JVM (its
 *     collector: W1's and W3's tails include the broker's pauses)
 */
public record BenchOptions(
    Set<Workload> workloads,
    Duration duration,
    double rate,
    double singleRate,
    double w3Rate,
    Duration w3Duration,
    Path home,
    Path out,
    boolean alos,
    boolean fresh,
    long w5Events,
    Duration w5Span,
    long restoreWindows,
    int partitions,
    List<String> streamsProperties,
    List<String> javaOptions,
    List<String> brokerJavaOptions) {

  /** The workloads of the issue that the harness runs. */
  public enum Workload {
    W0,
    W1,
    W2,
    W3,
    W4,
    /** The same YSB backlog through Streamdown's enrich + aggregate and through a Flink job. */
    W5,
    /**
     * Query after losing its local state: how long until it is ready again, against a restart
     * that keeps it. Not one of the workloads, so not in {@code all}.
     */
    RESTORE;

    /** What {@code all}, and no workload named, runs. */
    static Set<Workload> all() {
      return EnumSet.range(W0, W5);
    }
  }

  public static final String USAGE =
      "usage: streamdown bench [all|w0|w1|w2|w3|w4|w5|restore ...] [--duration 20s] [--rate 80000]"
          + " [--single-rate 12000] [--w3-rate R] [--w3-duration D] [--w5-events 200000]"
          + " [--w5-span 30s]"
          + " [--restore-windows 300000] [--partitions 6]"
          + " [--streams-property KEY=VALUE ...] [--java-opt OPTION ...]"
          + " [--broker-java-opt OPTION ...] [--out DIR] [--no-alos] [--fresh]";

  public static BenchOptions parse(List<String> args) {
    Set<Workload> workloads = EnumSet.noneOf(Workload.class);
    Duration duration = Duration.ofSeconds(20);
    double rate = 80_000;
    double singleRate = 12_000;
    double w3Rate = Double.NaN;
    Duration w3Duration = null;
    Path home = Path.of("").toAbsolutePath();
    Path out = null;
    boolean alos = true;
    boolean fresh = false;
    long w5Events = 200_000;
    Duration w5Span = DEFAULT_W5_SPAN;
    long restoreWindows = 300_000;
    int partitions = TopicCatalog.DEFAULT_PARTITIONS;
    List<String> streamsProperties = new ArrayList<>();
    List<String> javaOptions = new ArrayList<>();
    List<String> brokerJavaOptions = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      switch (arg) {
        case "--duration" -> duration = parseDuration(value(args, ++i, arg));
        case "--rate" -> rate = positive(value(args, ++i, arg), arg);
        case "--single-rate" -> singleRate = positive(value(args, ++i, arg), arg);
        case "--w3-rate" -> w3Rate = positive(value(args, ++i, arg), arg);
        case "--w3-duration" -> w3Duration = parseDuration(value(args, ++i, arg));
        case "--w5-events" -> w5Events = (long) Math.ceil(positive(value(args, ++i, arg), arg));
        case "--w5-span" -> w5Span = w5Span(value(args, ++i, arg), arg);
        case "--restore-windows" ->
            restoreWindows = (long) Math.ceil(positive(value(args, ++i, arg), arg));
        case "--partitions" -> partitions = wholeNumber(value(args, ++i, arg), arg);
        case "--home" -> home = Path.of(value(args, ++i, arg));
        case "--out" -> out = Path.of(value(args, ++i, arg));
        case "--no-alos" -> alos = false;
        case "--fresh" -> fresh = true;
        case "--streams-property" -> streamsProperties.add(property(value(args, ++i, arg)));
        case "--java-opt" -> javaOptions.add(javaOption(value(args, ++i, arg), arg));
        case "--broker-java-opt" ->
            brokerJavaOptions.add(javaOption(value(args, ++i, arg), arg));
        case "all" -> workloads.addAll(Workload.all());
        default -> {
          try {
            workloads.add(Workload.valueOf(arg.toUpperCase(Locale.ROOT)));
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown argument '" + arg + "'\n" + USAGE);
          }
        }
      }
    }
    if (workloads.isEmpty()) {
      workloads = Workload.all();
    }
    home = home.toAbsolutePath().normalize();
    return new BenchOptions(
        workloads,
        duration,
        rate,
        singleRate,
        w3Rate,
        w3Duration == null ? duration : w3Duration,
        home,
        out == null ? home.resolve("bench/results") : out,
        alos,
        fresh,
        w5Events,
        w5Span,
        restoreWindows,
        partitions,
        List.copyOf(streamsProperties),
        List.copyOf(javaOptions),
        List.copyOf(brokerJavaOptions));
  }

  /** W5's event-time span unless {@code --w5-span} sets it. */
  static final Duration DEFAULT_W5_SPAN = Duration.ofSeconds(30);

  /** The longest span: the backlog starts two hours back and must stay clear of live windows. */
  static final Duration MAX_W5_SPAN = Duration.ofHours(1);

  private static Duration w5Span(String text, String arg) {
    Duration parsed = parseDuration(text);
    if (parsed.toMillis() <= 0 || parsed.compareTo(MAX_W5_SPAN) > 0) {
      throw new IllegalArgumentException(
          arg + " must be more than 0 and at most 1h, was '" + text + "'");
    }
    return parsed;
  }

  /** {@code 20s}, {@code 2m}, {@code 500ms} or plain seconds. */
  static Duration parseDuration(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    try {
      if (t.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
      }
      if (t.endsWith("s")) {
        return Duration.ofSeconds(Long.parseLong(t.substring(0, t.length() - 1)));
      }
      if (t.endsWith("m")) {
        return Duration.ofMinutes(Long.parseLong(t.substring(0, t.length() - 1)));
      }
      return Duration.ofSeconds(Long.parseLong(t));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bad duration '" + text + "' (e.g. 20s, 2m)");
    }
  }

  /** {@code key=value} with a Streams property name: letters, digits, dots and dashes. */
  private static String property(String text) {
    int eq = text.indexOf('=');
    if (eq <= 0 || !text.substring(0, eq).matches("[a-z0-9.\\-]+")) {
      throw new IllegalArgumentException(
          "--streams-property needs KEY=VALUE with a Kafka Streams property name, not '"
              + text
              + "'");
    }
    return text;
  }

  /**
   * The JVM options of a peer's JVM that stands beside {@code counterpart}: a small heap, the
   * counterpart's JIT compilers ({@link StackOptions#defaultJitOptions}), so that both run code of
   * the same tier, then what every service gets.
   */
  public List<String> peerJvmOptions(Service counterpart) {
    List<String> jvm = new ArrayList<>(StackOptions.SMALL_HEAP_START);
    jvm.addAll(StackOptions.defaultJitOptions(counterpart));
    jvm.addAll(serviceJvmOptions());
    return List.copyOf(jvm);
  }

  /** The JVM options every service gets after its own heap and JIT options: the defaults, ours. */
  public List<String> serviceJvmOptions() {
    List<String> jvm = new ArrayList<>(StackOptions.DEFAULT_JVM_OPTIONS);
    jvm.addAll(javaOptions);
    return List.copyOf(jvm);
  }

  /** A JVM option: it starts with a dash, so a forgotten value cannot swallow the next argument. */
  private static String javaOption(String text, String name) {
    if (!text.startsWith("-") || text.isBlank()) {
      throw new IllegalArgumentException(
          name + " needs a JVM option such as -XX:TieredStopAtLevel=1, not '" + text + "'");
    }
    return text;
  }

  /** Whether {@code --w3-rate} fixed W3's and W4's background load. */
  public boolean fixedW3Load() {
    return !Double.isNaN(w3Rate);
  }

  /** The service arguments that set {@link #streamsProperties()}. */
  public List<String> streamsArgs() {
    return streamsProperties.stream()
        .map(p -> "--spring.kafka.streams.properties." + p)
        .toList();
  }

  private static String value(List<String> args, int i, String name) {
    if (i >= args.size()) {
      throw new IllegalArgumentException(name + " needs a value\n" + USAGE);
    }
    return args.get(i);
  }

  private static int wholeNumber(String text, String name) {
    try {
      int v = Integer.parseInt(text.trim());
      if (v >= 1) {
        return v;
      }
    } catch (NumberFormatException e) {
      // Reported below with the rule.
    }
    throw new IllegalArgumentException(
        name + " must be a whole number of at least 1, not '" + text + "'");
  }

  private static double positive(String text, String name) {
    double v;
    try {
      v = Double.parseDouble(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a number, not '" + text + "'");
    }
    if (!(v > 0)) {
      throw new IllegalArgumentException(name + " must be positive, not " + text);
    }
    return v;
  }
}
