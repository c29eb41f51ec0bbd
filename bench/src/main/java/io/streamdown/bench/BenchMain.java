package io.streamdown.bench;

import io.streamdown.bench.BenchOptions.Workload;
import io.streamdown.local.FileTrees;
import io.streamdown.local.PortPlan;
import io.streamdown.local.Service;
import io.streamdown.local.ServiceInstance;
import io.streamdown.local.ServiceProcess;
import io.streamdown.local.ServiceUrls;
import io.streamdown.local.StackLauncher;
import io.streamdown.local.StackOptions;
import io.streamdown.schemas.TopicCatalog;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;

/**
 * {@code ./streamdown bench}: starts the local stack with the YSB view (or reuses one whose ports
 * answer), runs the selected workloads one after another on the same broker, checks the YSB counts
 * and writes the report under {@code bench/results/}.
 */
public final class BenchMain {

  private static final String W0_TOPIC = "bench.w0";

  /** Unmeasured queries before W4's measured phase. */
  private static final Duration W4_WARMUP = Duration.ofSeconds(10);

  /** Load before a sustainable-rate step's backlog is first sampled. */
  private static final Duration SUSTAINED_SETTLE = Duration.ofSeconds(5);

  /** Background load before W3's first marker. */
  private static final Duration W3_SETTLE = Duration.ofSeconds(10);

  /**
   * W4's floor phase: the same clients ask the same instance for the view list, which passes the
   * server, the filters, Spring MVC and Jackson as a query does, without a store read or a route.
   */
  private static final Duration W4_FLOOR = Duration.ofSeconds(10);

  /** How long W4 measures the CPU of the background load alone, before its queries. */
  private static final Duration W4_BACKGROUND_ALONE = Duration.ofSeconds(5);

  /** Time allowed for W4's second query instance to start, within the background load. */
  private static final Duration SECOND_QUERY_START = Duration.ofSeconds(60);
  private static final String W1_CAMEL_TOPIC = "bench.w1.camel";
  private static final long YSB_SEED = 20261122L;
  /**
   * Unmeasured single-event load before each server's single-event phase, ingest's and the Camel
   * peer's alike: the batch phase before ingest's does not warm the single-event path of the
   * server or of the load generator (ingest's first 5 s ran at three quarters of its later rate).
   */
  private static final Duration SINGLE_WARMUP = Duration.ofSeconds(5);

  /**
   * The unmeasured load before a stack's batch phase, at {@link #PIPELINE_WARMUP_RATE}, so that
   * the JIT compilers have done the first and largest part of their work before W2 counts CPU per
   * event (profiled, their threads had been among the largest CPU users of a cold stack's first
   * minute). What they still do during the phase is reported apart ({@code *_jit_us_per_event}).
   */
  private static final Duration PIPELINE_WARMUP = Duration.ofSeconds(15);

  /**
   * The warm-up's rate (events/s, or {@code --rate} if lower): well below what the pipeline
   * sustains, so that it warms the code up without leaving a backlog to wait for.
   */
  private static final double PIPELINE_WARMUP_RATE = 4_000;

  /** Batch POSTs (100 events each) outstanding at most; single-event ones: the client's limit. */
  private static final int BATCH_IN_FLIGHT = 64;
  private static final List<String> ALOS_ARGS =
      List.of("--spring.kafka.streams.properties.processing.guarantee=at_least_once");

  /**
   * The at-least-once stack commits as often as the exactly-once one does by default (100 ms),
   * unless {@code --streams-property} sets the interval: Kafka Streams' at-least-once default of
   * 30 s would hold the records in the caches of aggregate and query for up to 30 s, and the
   * comparison would measure that wait instead of the cost of transactions.
   */
  private static final String ALOS_COMMIT_INTERVAL =
      "--spring.kafka.streams.properties.commit.interval.ms=100";

  private final BenchOptions options;
  private final Report report = new Report();
  private final YsbCounts counts = new YsbCounts();
  private final Ysb ysb = new Ysb(YSB_SEED);
  private final String stamp =
      ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HHmm'Z'"));

  BenchMain(BenchOptions options) {
    this.options = options;
  }

  public static void main(String[] args) {
    BenchOptions options;
    try {
      options = BenchOptions.parse(List.of(args));
    } catch (IllegalArgumentException e) {
      System.err.println("streamdown bench: " + e.getMessage());
      System.exit(2);
      return;
    }
    logClientsTo(options.home().resolve("bench/target/bench-clients.log"));
    Path markdown = new BenchMain(options).run();
    System.out.println("report: " + markdown);
    System.exit(0);
  }

  /**
   * The Kafka clients of this JVM (probes, the W3 trail, the YSB check) log through slf4j-simple;
   * their lines go to a file, not the console. The broker logs to its data directory's logs.
   */
  private static void logClientsTo(Path logFile) {
    try {
      Files.createDirectories(logFile.getParent());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    if (System.getProperty("org.slf4j.simpleLogger.logFile") == null) {
      System.setProperty("org.slf4j.simpleLogger.logFile", logFile.toString());
    }
  }

  static void say(String line) {
    System.out.println(line);
    System.out.flush();
  }

  Path run() {
    long begin = System.nanoTime();
    context();
    try {
      Target target = reuseOrStart(options.streamsArgs());
      if (target.own()) {
        report.context(
            "stack",
            "started by the benchmark (free ports), YSB view only, processing.guarantee"
                + " exactly_once_v2, "
                + options.partitions()
                + " partitions per topic"
                + (options.streamsProperties().isEmpty()
                    ? ""
                    : ", Streams properties " + String.join(" ", options.streamsProperties())));
      }
      try {
        runEos(target);
      } finally {
        target.close();
      }
      if (options.workloads().contains(Workload.W2) && options.alos() && target.own()) {
        runAlos();
      } else if (options.workloads().contains(Workload.W2)) {
        report.note("W2 at-least-once was not run (reused stack or --no-alos).");
      }
    } catch (RuntimeException e) {
      // A failed phase still leaves a report of what was measured before it.
      say("the run failed: " + e);
      report.note("The run stopped early: " + e);
    }
    report.context(
        "wall time of the run",
        String.format(Locale.ROOT, "%.0f s", (System.nanoTime() - begin) / 1e9));
    report.context("load average at the end", loadAverage());
    report.note("Workloads run one after another on the same broker within one run.");
    report.note(
        "Numbers come from a shared, noisy 2-core machine unless the load average above says"
            + " otherwise.");
    Path markdown = report.write(options.out(), stamp);
    say("summary: " + report.summary());
    return markdown;
  }

  private void runAlos() {
    say("W2 at-least-once: a second stack whose Streams services run at_least_once");
    List<String> alosArgs = new ArrayList<>(options.streamsArgs());
    alosArgs.addAll(ALOS_ARGS);
    if (options.streamsProperties().stream().noneMatch(p -> p.startsWith("commit.interval.ms="))) {
      alosArgs.add(ALOS_COMMIT_INTERVAL);
    }
    Target alos = reuseOrStart(alosArgs);
    try {
      YsbCounts alosCounts = new YsbCounts();
      double drain = pipelineRun(alos, "w2-alos", alosCounts);
      report.put("w2_alos_drain_rps", drain);
      report.put("w2_alos_rps", sustainedRate(alos, "w2-alos", alosCounts, drain));
    } finally {
      alos.close();
    }
    double eos = report.number("w2_eos_rps");
    double alosRps = report.number("w2_alos_rps");
    report.put("w2_eos_vs_alos", eos / alosRps);
    double eosDrain = report.number("w2_eos_drain_rps");
    double alosDrain = report.number("w2_alos_drain_rps");
    report.put("w2_eos_vs_alos_drain", eosDrain / alosDrain);
    report.row(
        new Report.Row(
            "W2 pipeline",
            "at-least-once rec/s (sustained)",
            Report.fmt(alosRps),
            "EOS ≥ 0.85 × this: " + Report.ratio(eos / alosRps),
            "–",
            "–",
            "same steps on a fresh stack with processing.guarantee=at_least_once; drains "
                + Report.fmt(eosDrain)
                + " (EOS) / "
                + Report.fmt(alosDrain)
                + " = "
                + Report.ratio(eosDrain / alosDrain)));
  }

  /**
   * W2's sustainable rate on {@code target} ({@link SustainedRate}): steps of open-loop load at
   * fractions of the drain rate, each as long as a phase, up to the first one that falls behind.
   * One row per step; NaN when even the first fell behind.
   */
  private double sustainedRate(Target target, String name, YsbCounts into, double drainRate) {
    if (Double.isNaN(drainRate)) {
      return Double.NaN;
    }
    say(
        name
            + ": sustainable rate, "
            + options.duration().toSeconds()
            + " s steps from "
            + Report.fmt(drainRate * SustainedRate.FIRST_TENTHS / 10)
            + " events/s, up while the backlog stays bounded (down if it does not)");
    SustainedRate.Result result =
        SustainedRate.search(
            drainRate,
            rate -> {
              // Each step starts from a caught-up pipeline: the backlog a failed step leaves
              // behind would otherwise count against the next one (the halfway step).
              if (awaitVisible(target.client(), into, Duration.ofMinutes(2)) < 0) {
                report.note(name + ": the pipeline had not caught up before a step");
              }
              SustainedRate.Step step =
                  SustainedRate.step(
                      name + "-sustained",
                      target.client(),
                      ysb,
                      into,
                      rate,
                      options.duration(),
                      SUSTAINED_SETTLE,
                      BATCH_IN_FLIGHT);
              say("  " + name + " step: " + step.describe());
              return step;
            });
    for (SustainedRate.Step step : result.steps()) {
      report.row(
          new Report.Row(
              "W2 pipeline",
              name + " step at " + Report.fmt(step.offered()) + " ev/s",
              step.sustained() ? "kept up" : "fell behind",
              "backlog grows ≤ "
                  + Math.round(SustainedRate.MAX_GROWTH * 100)
                  + " % of the rate, ≤ "
                  + Report.fmt(SustainedRate.MAX_BACKLOG_SECONDS)
                  + " s of it at the end",
              "–",
              "–",
              step.describe()));
    }
    if (awaitVisible(target.client(), into, Duration.ofMinutes(4)) < 0) {
      report.note(name + ": the pipeline did not catch up after the sustainable-rate steps");
    }
    return result.rate();
  }

  private void runEos(Target target) {
    StackClient client = target.client();
    if (!client.hasYsbView()) {
      report.note("The reused stack has no `ysb` view: only W0 and W1 ran.");
    }
    if (options.workloads().contains(Workload.W0)) {
      w0(target);
    }
    say("reference data: 1000 ads -> 100 campaigns");
    client.putReferences(ysb.referenceBodies());
    if (options.workloads().contains(Workload.W1) || options.workloads().contains(Workload.W2)) {
      double drain = pipelineRun(target, "w1-batch", counts);
      if (options.workloads().contains(Workload.W2)) {
        report.put("w2_eos_drain_rps", drain);
        report.row(
            new Report.Row(
                "W2 pipeline",
                "exactly_once_v2 rec/s (drain)",
                Report.fmt(drain),
                "–",
                "–",
                "–",
                "events accepted in the batch phase / time from its start until all of them are"
                    + " counted in the query API; an upper bound, as ingest is idle for most of it"));
        double rps = sustainedRate(target, "w2-eos", counts, drain);
        report.put("w2_eos_rps", rps);
        report.put("w2_eos_ratio", rps / report.number("w0_produce_rps"));
        report.row(
            new Report.Row(
                "W2 pipeline",
                "exactly_once_v2 rec/s (sustained)",
                Report.fmt(rps),
                "≥ 0.3 × W0 produce: " + Report.ratio(report.number("w2_eos_ratio")),
                "–",
                "–",
                "the highest step whose backlog stayed bounded (steps below)"));
      }
    }
    if (options.workloads().contains(Workload.W1)) {
      w1Single(target);
      w1Camel(target);
    }
    if (options.workloads().contains(Workload.W3) || options.workloads().contains(Workload.W4)) {
      if (!options.workloads().contains(Workload.W1)
          && !options.workloads().contains(Workload.W2)) {
        // Alone, W3 and W4 would otherwise meet stages that have not compiled anything yet.
        warmUp(target, "w3w4", counts);
      }
      w3w4(target);
    }
    if (client.hasYsbView() && counts.total() > 0) {
      say("YSB check: waiting until the pipeline caught up, then comparing every window");
      awaitDrained(target, Duration.ofMinutes(3));
      YsbCheck.Outcome outcome = YsbCheck.await(client, counts, Duration.ofSeconds(60));
      report.put("ysb_correct", outcome.correct());
      report.row(
          new Report.Row(
              "YSB",
              "counts per (window, type, campaign) = offline count",
              String.valueOf(outcome.correct()),
              "true",
              "–",
              "–",
              outcome.events()
                  + " events, "
                  + outcome.windows()
                  + " windows, "
                  + outcome.cells()
                  + " cells; "
                  + counts.retries()
                  + " POSTs sent again after a failure, "
                  + outcome.uncertainEvents()
                  + " events of POSTs that failed for good (they may be counted or not)"
                  + (outcome.mismatches().isEmpty()
                      ? ""
                      : "; " + String.join("; ", outcome.mismatches()))));
      say("YSB check: " + (outcome.correct() ? "correct" : "WRONG " + outcome.mismatches()));
    }
    if (options.workloads().contains(Workload.W5)) {
      w5(target);
    }
    if (options.workloads().contains(Workload.RESTORE)) {
      restore(target);
    }
  }

  /**
   * Restore: query's time until ready after losing its local state (a new machine or volume, or
   * a crash under exactly-once). A backlog of windows goes to {@code aggregates} ({@link
   * QueryRestore}); once query has read it all, query is restarted {@link #RESTORE_PAIRS} times
   * keeping its state directory (what any restart costs: the JVM, Spring, the rebalance) and as
   * many times without it (its stores come back from what Kafka holds), alternated. The difference
   * of the medians is the restore. A sample of windows is then compared with what was written.
   */
  private void restore(Target target) {
    if (!onOwnStack(target, "restore", "it deletes query's state")) {
      return;
    }
    StackLauncher stack = target.launcher();
    String aggregates = new TopicCatalog(target.prefix()).aggregates().name();
    QueryRestore.Backlog backlog =
        QueryRestore.plan(ysb.campaigns(), options.restoreWindows(), System.currentTimeMillis());
    say("restore: waiting until the pipeline caught up");
    awaitDrained(target, Duration.ofMinutes(3));
    say(
        String.format(
            Locale.ROOT,
            "restore: writing %,d windows (%d groups × %d) to %s",
            backlog.windows(),
            backlog.groups().size(),
            backlog.windowsPerGroup(),
            aggregates));
    long records;
    try (PipelineLag lag = new PipelineLag(target.bootstrap())) {
      QueryRestore.write(
          target.bootstrap(), aggregates, lag.partitions(aggregates), backlog, BenchMain::say);
      if (awaitDrained(target, Duration.ofMinutes(5)) < 0) {
        say("restore: query did not read the backlog within 5 minutes; not measured");
        report.note("restore was not measured: query did not read the backlog within 5 minutes.");
        return;
      }
      records = lag.endOffsets(aggregates);
    }
    // A restart's JVM and Spring start vary by seconds on shared cores, so each kind runs
    // RESTORE_PAIRS times, alternated, and the medians are compared.
    List<Double> kept = new ArrayList<>();
    List<Double> wiped = new ArrayList<>();
    for (int pair = 1; pair <= RESTORE_PAIRS; pair++) {
      kept.add(restartQuery(stack, false));
      say(
          String.format(
              Locale.ROOT, "restore %d: state kept, ready after %.1f s", pair, last(kept)));
      wiped.add(restartQuery(stack, true));
      say(
          String.format(
              Locale.ROOT, "restore %d: state lost, ready after %.1f s", pair, last(wiped)));
    }
    QueryRestore.Checked checked = QueryRestore.check(target.client(), backlog, 12);
    List<String> wrong = checked.mismatches();
    double keptMedian = DedupeLookupBench.median(kept);
    double wipedMedian = DedupeLookupBench.median(wiped);
    double restoreSeconds = wipedMedian - keptMedian;
    double rate = restoreSeconds > 0 ? records / restoreSeconds : Double.NaN;
    report.put("restore_windows", backlog.windows());
    report.put("restore_records", records);
    report.put("restore_kept_s", keptMedian);
    report.put("restore_wiped_s", wipedMedian);
    report.put("restore_records_per_s", rate);
    report.row(
        new Report.Row(
            "Restore",
            "query ready after a restart, medians of " + RESTORE_PAIRS + ": state kept / lost",
            String.format(Locale.ROOT, "%.1f / %.1f s", keptMedian, wipedMedian),
            "–",
            "–",
            "–",
            String.format(
                Locale.ROOT,
                "%,d windows, %,d offsets in %s; kept %s s, lost %s s; %s; %s",
                backlog.windows(),
                records,
                aggregates,
                seconds(kept),
                seconds(wiped),
                restoreSeconds > 0
                    ? String.format(
                        Locale.ROOT,
                        "the difference, %.1f s, restores %,.0f offsets/s",
                        restoreSeconds,
                        rate)
                    : "no difference beyond the restarts' own spread",
                wrong.isEmpty()
                    ? checked.windows() + " sampled windows of every group answered as written"
                    : "WRONG: " + String.join("; ", wrong))));
    say("restore: " + (wrong.isEmpty() ? "every sampled window as written" : "WRONG " + wrong));
  }

  private static double last(List<Double> values) {
    return values.get(values.size() - 1);
  }

  private static String seconds(List<Double> values) {
    return values.stream()
        .map(v -> String.format(Locale.ROOT, "%.1f", v))
        .collect(java.util.stream.Collectors.joining(", "));
  }

  /** Whether a workload that needs a stack of its own may run; says why not otherwise. */
  private boolean onOwnStack(Target target, String workload, String why) {
    if (target.own()) {
      return true;
    }
    say(workload + ": not run on a reused stack: " + why + " (use --fresh)");
    report.note(
        workload + " was not run: it needs a stack of its own (the run reused one; use --fresh).");
    return false;
  }

  /** Stops query's instance and starts it again, without its state directory if asked. */
  private static double restartQuery(StackLauncher stack, boolean wipe) {
    stack.stopService(Service.QUERY);
    if (wipe) {
      try {
        FileTrees.delete(stack.options().stateDir(Service.QUERY));
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    ServiceProcess process = stack.startService(Service.QUERY);
    return process
            .readyAfter()
            .orElseThrow(() -> new IllegalStateException("query started but never probed ready"))
            .toMillis()
        / 1000.0;
  }

  private void w0(Target target) {
    say(
        "W0: Kafka's producer and consumer performance tools, same broker, record size of a YSB"
            + " event");
    int recordSize = ysb.next(System.currentTimeMillis()).json().length() + 30;
    long records = Math.max(50_000L, 25_000L * options.duration().toSeconds());
    String topic = target.prefix() + W0_TOPIC;
    try (PipelineLag admin = new PipelineLag(target.bootstrap())) {
      admin.createTopic(topic, 6);
    }
    KafkaPerf.ProducerResult produced =
        KafkaPerf.produce(target.bootstrap(), topic, records, recordSize, BenchMain::say);
    KafkaPerf.ConsumerResult consumed =
        KafkaPerf.consume(target.bootstrap(), topic, records, BenchMain::say);
    report.put("w0_produce_rps", produced.recordsPerSecond());
    report.put("w0_consume_rps", consumed.fetchRecordsPerSecond());
    String command =
        "kafka-producer-perf-test --num-records "
            + records
            + " --record-size "
            + recordSize
            + " --throughput -1 --command-property acks=all";
    report.row(
        new Report.Row(
            "W0 raw",
            "producer rec/s",
            Report.fmt(produced.recordsPerSecond()),
            "baseline",
            Report.fmt(produced.p50Ms()) + " ms",
            Report.fmt(produced.p99Ms()) + " ms",
            command));
    report.row(
        new Report.Row(
            "W0 raw",
            "consumer rec/s (fetch)",
            Report.fmt(consumed.fetchRecordsPerSecond()),
            "baseline",
            "–",
            "–",
            "kafka-consumer-perf-test; "
                + Report.fmt(consumed.recordsPerSecond())
                + " rec/s with the group join"));
  }

  /**
   * The unmeasured warm-up before a measured load: {@link #PIPELINE_WARMUP} of YSB load at a rate
   * the pipeline carries, until it has caught up, so that the JIT compilers' first work is not
   * measured; W3's marker path is warmed alongside when W3 will run.
   */
  private void warmUp(Target target, String name, YsbCounts into) {
    StackClient client = target.client();
    double warmupRate = Math.min(PIPELINE_WARMUP_RATE, options.rate());
    say(
        name
            + ": "
            + PIPELINE_WARMUP.toSeconds()
            + " s unmeasured warm-up at "
            + Report.fmt(warmupRate)
            + " events/s, until the pipeline caught up");
    try (FreshnessWarmup w3Warmup =
        into == counts && options.workloads().contains(Workload.W3)
            ? FreshnessWarmup.start(
                client,
                target.bootstrap(),
                markerHops(target.bootstrap(), target.prefix()),
                PIPELINE_WARMUP)
            : null) {
      YsbLoad.run(
          name + "-warmup",
          client,
          ysb,
          into,
          warmupRate,
          100,
          PIPELINE_WARMUP,
          BATCH_IN_FLIGHT,
          BenchMain::say);
    }
    if (awaitVisible(client, into, Duration.ofMinutes(2)) < 0) {
      report.note(name + ": the pipeline had not caught up with the warm-up after 2 minutes");
    }
  }

  /**
   * The batch phase: 100 events per POST at the offered rate; returns the pipeline's drain rate.
   */
  private double pipelineRun(Target target, String name, YsbCounts into) {
    StackClient client = target.client();
    if (into != counts) {
      client.putReferences(ysb.referenceBodies());
    }
    warmUp(target, name, into);
    say(
        name
            + ": offering "
            + Report.fmt(options.rate())
            + " events/s, 100 per POST, for "
            + options.duration().toSeconds()
            + " s");
    long start = System.nanoTime();
    CpuUse.Snapshot cpuBefore = CpuUse.of(target.pids());
    OpenLoop.Result result =
        YsbLoad.run(
            name,
            client,
            ysb,
            into,
            options.rate(),
            100,
            options.duration(),
            BATCH_IN_FLIGHT,
            BenchMain::say);
    CpuUse.Snapshot cpuLoadEnd = CpuUse.of(target.pids());
    long loadNanos = System.nanoTime() - start;
    double drainSeconds = awaitVisible(client, into, Duration.ofMinutes(4));
    if (drainSeconds >= 0) {
      CpuUse.Snapshot cpuAfter = CpuUse.of(target.pids());
      cpuPerEvent(
          name,
          cpuAfter.since(cpuBefore),
          cpuAfter.jitSince(cpuBefore),
          cpuAfter.gcSince(cpuBefore),
          result.items());
    }
    double pipelineRps = result.items() / ((System.nanoTime() - start) / 1e9);
    if (drainSeconds < 0) {
      pipelineRps = Double.NaN;
      report.note(name + ": the pipeline did not catch up within 4 minutes");
    }
    report.throughput(name, result.itemsPerSecond());
    report.latency(name + " (per POST)", result.latencyMicros());
    if (name.equals("w1-batch")) {
      double rps = result.itemsPerSecondAverage();
      report.put("w1_batch_rps", rps);
      String cpuSplit = batchCpu(cpuLoadEnd.since(cpuBefore), result.items(), loadNanos);
      report.put("w1_batch_ratio", rps / report.number("w0_produce_rps"));
      report.row(
          new Report.Row(
              "W1 ingest",
              "100 events/POST rec/s",
              Report.fmt(rps),
              "≥ 0.7 × W0 produce: " + Report.ratio(report.number("w1_batch_ratio")),
              Report.ms(result.latencyMicros(), 50),
              Report.ms(result.latencyMicros(), 99),
              "offered "
                  + Report.fmt(options.rate())
                  + " ev/s open loop for "
                  + options.duration().toSeconds()
                  + " s; "
                  + result.scheduled()
                  + " POSTs sent, "
                  + result.failed()
                  + " failed"
                  + cpuSplit));
    }
    say(
        String.format(
            Locale.ROOT,
            "%s: %,d events accepted, %.0f/s at ingest; pipeline caught up after %.1f s more ->"
                + " %.0f/s",
            name,
            result.items(),
            result.itemsPerSecondAverage(),
            drainSeconds,
            pipelineRps));
    return pipelineRps;
  }

  /**
   * Ingest's CPU per accepted event while the batch phase's load ran ({@code
   * w1_batch_ingest_cpu_us_per_event}), and how many of the machine's cores each process used
   * meanwhile: the Streams stages drain the events as they arrive, on the same cores, so ingest's
   * rate is its share of them.
   *
   * @return "; CPU …" for the report's row, empty when not measured
   */
  private String batchCpu(Map<String, Duration> used, long events, long loadNanos) {
    Duration ingest = used.get(Service.INGEST.moduleName());
    if (ingest == null || events <= 0 || loadNanos <= 0) {
      return "";
    }
    double ingestMicros = CpuUse.microsPerEvent(ingest, events);
    report.put("w1_batch_ingest_cpu_us_per_event", ingestMicros);
    List<String> parts = new ArrayList<>();
    used.forEach(
        (process, cpu) ->
            parts.add(
                String.format(
                    Locale.ROOT, "%s %.2f", process, cpu.toNanos() / (double) loadNanos)));
    return String.format(
        Locale.ROOT,
        "; ingest's CPU %.1f µs per accepted event; cores in use during the load (of %d): %s",
        ingestMicros,
        Runtime.getRuntime().availableProcessors(),
        String.join(", ", parts));
  }

  /** Adds "label µs-per-event" to {@code parts} when the process has that share at all. */
  private static void addShare(List<String> parts, String label, Duration share, long events) {
    if (share != null) {
      parts.add(
          String.format(Locale.ROOT, "%s %.1f", label, CpuUse.microsPerEvent(share, events)));
    }
  }

  /** The batch phase is W1's batch ingest and W2's exactly-once drain at once. */
  private static String phaseLabel(String name) {
    return name.equals("w1-batch") ? "w1-batch, the exactly-once drain" : name;
  }

  /**
   * Where the CPU of a pipeline run went: microseconds of CPU per event of each process, from the
   * first POST until every event was counted, and the rate those costs allow on this machine's
   * cores if nothing else ran (the ceiling the measured rate is up against).
   */
  private void cpuPerEvent(
      String name,
      Map<String, Duration> used,
      Map<String, Duration> jit,
      Map<String, Duration> gc,
      long events) {
    if (used.isEmpty() || events <= 0) {
      return;
    }
    Duration total = used.values().stream().reduce(Duration.ZERO, Duration::plus);
    double totalMicros = CpuUse.microsPerEvent(total, events);
    double jitMicros =
        CpuUse.microsPerEvent(
            jit.values().stream().reduce(Duration.ZERO, Duration::plus), events);
    int cores = Runtime.getRuntime().availableProcessors();
    double ceiling = cores * 1e6 / totalMicros;
    List<String> parts = new ArrayList<>();
    used.forEach(
        (process, cpu) -> {
          String part =
              String.format(Locale.ROOT, "%s %.1f", process, CpuUse.microsPerEvent(cpu, events));
          List<String> within = new ArrayList<>();
          addShare(within, "JIT", jit.get(process), events);
          addShare(within, "GC", gc.get(process), events);
          if (!within.isEmpty()) {
            part += " (" + String.join(", ", within) + ")";
          }
          parts.add(part);
        });
    String split = String.join(", ", parts);
    String key = name.equals("w1-batch") ? "w2_eos" : name.replace('-', '_');
    report.put(key + "_cpu_us_per_event", totalMicros);
    if (!jit.isEmpty()) {
      report.put(key + "_jit_us_per_event", jitMicros);
    }
    double gcMicros =
        CpuUse.microsPerEvent(gc.values().stream().reduce(Duration.ZERO, Duration::plus), events);
    if (!gc.isEmpty()) {
      report.put(key + "_gc_us_per_event", gcMicros);
    }
    report.put(key + "_cpu_ceiling_rps", ceiling);
    report.row(
        new Report.Row(
            "W2 pipeline",
            "CPU µs per event (" + phaseLabel(name) + ")",
            String.format(Locale.ROOT, "%.1f", totalMicros),
            "–",
            "–",
            "–",
            split
                + "; "
                + cores
                + " cores at this cost: at most "
                + Report.fmt(ceiling)
                + " events/s"));
    say(
        name
            + ": CPU µs per event: "
            + split
            + " (total "
            + Report.fmt(totalMicros)
            + (jit.isEmpty() ? "" : ", of which the JIT compilers " + Report.fmt(jitMicros))
            + (gc.isEmpty() ? "" : ", the garbage collectors " + Report.fmt(gcMicros))
            + ")");
  }

  private void w1Single(Target target) {
    StackClient client = target.client();
    Long ingestPid = target.pids().get(Service.INGEST.moduleName());
    Duration warmup = singleEventWarmup("w1-single", client, ysb, counts);
    OpenLoop.Result max =
        singleEventPhase("w1-single", client, ysb, counts, ingestPid == null ? -1 : ingestPid);
    double rps = max.requestsPerSecond();
    report.put("w1_single_rps", rps);
    report.row(
        singleEventRow(
            "1 event/POST req/s",
            max,
            "≥ 2 × Camel (W1 Camel row)",
            cpuNote("w1_single", "ingest-service")
                + "; "
                + warmup.toSeconds()
                + " s warm-up"));
    double half = Math.max(1, rps / 2);
    // At its maximum ingest can take in more than the pipeline processes beside it on these cores.
    // The half-rate phase measures the steady state at half that rate, not the catching up of
    // the backlog the phase before left, so it starts once the pipeline has caught up.
    say("W1 single: waiting until the pipeline caught up before the half-rate phase");
    double caughtUp = awaitDrained(target, Duration.ofMinutes(3));
    report.note(
        caughtUp < 0
            ? "W1 single: the pipeline had not caught up 3 minutes after the single-event phase;"
                + " the half-rate phase ran beside its backlog."
            : String.format(
                Locale.ROOT,
                "W1 single: the pipeline caught up %.1f s after the single-event phase, before the"
                    + " half-rate phase started.",
                caughtUp));
    say("W1 single at half the achieved rate: " + Report.fmt(half) + " POST/s");
    OpenLoop.Result halfRun =
        YsbLoad.run(
            "w1-single-half",
            client,
            ysb,
            counts,
            half,
            1,
            options.duration(),
            StackClient.MAX_POSTS_IN_FLIGHT,
            BenchMain::say);
    report.put("w1_single_p99_ms", halfRun.percentileMillis(99));
    report.latency("w1-single at " + Report.fmt(half) + "/s", halfRun.latencyMicros());
    report.row(
        new Report.Row(
            "W1 ingest",
            "1 event/POST p99 at half rate",
            Report.fmt(halfRun.requestsPerSecond()) + " req/s",
            "p99 ≤ 20 ms",
            Report.ms(halfRun.latencyMicros(), 50),
            Report.ms(halfRun.latencyMicros(), 99),
            halfRun.failed() + " failed"));
  }

  /**
   * The Camel peer: the same single-event phase (rate, duration, YSB payloads, open-loop settings)
   * against a Camel route that writes to a topic of its own on the same broker. It starts once the
   * pipeline has caught up with the earlier phases, so that their processing does not compete with
   * the peer for the CPU, and gets a short unmeasured warm-up, as ingest had the batch phase.
   */
  private void w1Camel(Target target) {
    String topic = target.prefix() + W1_CAMEL_TOPIC;
    try (PipelineLag admin = new PipelineLag(target.bootstrap())) {
      String raw = new TopicCatalog(target.prefix()).eventsRaw().name();
      admin.createTopic(topic, admin.partitions(raw));
    }
    say("W1 Camel: waiting until the pipeline caught up");
    if (awaitDrained(target, Duration.ofMinutes(3)) < 0) {
      report.note(
          "W1 Camel: the pipeline had not caught up after 3 minutes; the peer ran beside it.");
    }
    Path log = options.home().resolve("bench/target/camel-peer.log");
    try (CamelPeer peer =
            CamelPeer.start(
                options.home(),
                target.bootstrap(),
                topic,
                options.peerJvmOptions(Service.INGEST),
                log);
        StackClient client = new StackClient(peer.base(), peer.base())) {
      say("W1 Camel: peer (pid " + peer.pid() + ", log " + log + ")");
      // The peer's events never reach the pipeline, so they stay out of the YSB counts.
      YsbCounts uncounted = new YsbCounts();
      Ysb payloads = new Ysb(YSB_SEED);
      Duration warmup = singleEventWarmup("w1-camel", client, payloads, uncounted);
      OpenLoop.Result camel =
          singleEventPhase("w1-camel", client, payloads, uncounted, peer.pid());
      double rps = camel.requestsPerSecond();
      double ratio = report.number("w1_single_rps") / rps;
      report.put("w1_camel_rps", rps);
      report.put("w1_single_vs_camel", ratio);
      report.row(
          singleEventRow(
              "Camel 1 event/POST req/s",
              camel,
              "Streamdown ≥ 2 × this: " + Report.ratio(ratio),
              cpuNote("w1_camel", "the peer")
                  + "; Camel "
                  + peer.camelVersion()
                  + " platform-http → kafka (acks=all, idempotent), "
                  + warmup.toSeconds()
                  + " s warm-up"));
    } catch (IllegalStateException e) {
      say("W1 Camel: not run: " + e.getMessage());
      report.note("W1 Camel was not run: " + e.getMessage());
    }
  }

  /**
   * {@link #SINGLE_WARMUP} (at most a phase) of the single-event phase's load, unmeasured; its
   * events count into {@code into} like any others.
   *
   * @return how long it ran
   */
  private Duration singleEventWarmup(
      String name, StackClient client, Ysb payloads, YsbCounts into) {
    Duration warmup =
        options.duration().compareTo(SINGLE_WARMUP) < 0 ? options.duration() : SINGLE_WARMUP;
    say(name + ": " + warmup.toSeconds() + " s unmeasured warm-up");
    YsbLoad.run(
        name + "-warmup",
        client,
        payloads,
        into,
        options.singleRate(),
        1,
        warmup,
        StackClient.MAX_POSTS_IN_FLIGHT,
        line -> {});
    return warmup;
  }

  /** One event per POST at {@code --single-rate} for a phase; its series join the charts. */
  private OpenLoop.Result singleEventPhase(
      String name, StackClient client, Ysb payloads, YsbCounts into, long serverPid) {
    say(name + ": offering " + Report.fmt(options.singleRate()) + " POST/s, 1 event each");
    java.util.Optional<Duration> cpuBefore = CpuUse.cpuOf(serverPid);
    OpenLoop.Result result =
        YsbLoad.run(
            name,
            client,
            payloads,
            into,
            options.singleRate(),
            1,
            options.duration(),
            StackClient.MAX_POSTS_IN_FLIGHT,
            BenchMain::say);
    // The server's CPU per answered request: its efficiency, whatever else the machine ran.
    java.util.Optional<Duration> cpuAfter = CpuUse.cpuOf(serverPid);
    long answered = result.scheduled() - result.failed();
    if (cpuBefore.isPresent() && cpuAfter.isPresent() && answered > 0) {
      report.put(
          name.replace('-', '_') + "_cpu_us_per_request",
          CpuUse.microsPerEvent(cpuAfter.get().minus(cpuBefore.get()), answered));
    }
    report.throughput(name, result.itemsPerSecond());
    report.latency(
        name + " (offered " + Report.fmt(options.singleRate()) + "/s)", result.latencyMicros());
    return result;
  }

  /** "; CPU of {@code whose}: N µs/request", when the phase measured it. */
  private String cpuNote(String key, String whose) {
    Object micros = report.get(key + "_cpu_us_per_request");
    return micros instanceof Number n
        ? "; CPU of "
            + whose
            + ": "
            + String.format(Locale.ROOT, "%.0f", n.doubleValue())
            + " µs/request"
        : "";
  }

  private Report.Row singleEventRow(
      String measure, OpenLoop.Result result, String target, String noteSuffix) {
    return new Report.Row(
        "W1 ingest",
        measure,
        Report.fmt(result.requestsPerSecond()),
        target,
        Report.ms(result.latencyMicros(), 50),
        Report.ms(result.latencyMicros(), 99),
        "offered "
            + Report.fmt(options.singleRate())
            + "/s open loop; "
            + result.scheduled()
            + " POSTs sent, "
            + result.failed()
            + " failed"
            + noteSuffix);
  }

  private void w3w4(Target target) {
    StackClient client = target.client();
    double base = report.number("w2_eos_rps");
    if (Double.isNaN(base)) {
      base = options.rate();
    }
    double load = options.fixedW3Load() ? options.w3Rate() : base / 2;
    boolean w3 = options.workloads().contains(Workload.W3);
    boolean w4 = options.workloads().contains(Workload.W4);
    Duration phase = options.duration();
    Duration markers = options.w3Duration();
    // W4 starts a second query instance first (so that some keys are routed) and warms up.
    Duration total =
        (w3 ? W3_SETTLE.plus(markers) : Duration.ZERO)
            .plus(
                w4
                    ? phase
                        .plus(W4_WARMUP)
                        .plus(W4_FLOOR)
                        .plus(W4_BACKGROUND_ALONE)
                        .plus(SECOND_QUERY_START)
                    : Duration.ZERO)
            .plusSeconds(5);
    say(
        "W3/W4: background YSB load at "
            + Report.fmt(load)
            + " events/s"
            + (options.fixedW3Load() ? " (--w3-rate)" : " (50% of the W2 rate)"));
    OpenLoop.Result[] background = new OpenLoop.Result[1];
    Thread loader =
        new Thread(
            () ->
                background[0] =
                    YsbLoad.run(
                        "background",
                        client,
                        ysb,
                        counts,
                        load,
                        100,
                        total,
                        BATCH_IN_FLIGHT,
                        line -> {}),
            "background-load");
    loader.start();
    try {
      if (w3) {
        // The pipeline first settles at the new rate (the earlier phases ran it at full speed or
        // not at all), so that the markers measure the steady state the target is about.
        // The trail starts with the settling, not with the first marker: a consumer of four topics
        // at the full rate, it cost the benchmark's JVM half a core in its first seconds (its
        // first fetches, the JIT compiling its path), on the cores whose load the markers measure.
        say("W3: " + W3_SETTLE.toSeconds() + " s at the background load before the first marker");
        Freshness.Result fresh;
        List<MarkerTrail.Hop> hops = markerHops(target.bootstrap(), target.prefix());
        Map<String, URI> prometheus = streamsPrometheus(target);
        Map<String, CommitCosts.Sample> commitsBefore;
        long markersStarted;
        try (MarkerTrail trail = MarkerTrail.start(target.bootstrap(), hops)) {
          pause(W3_SETTLE.toMillis());
          commitsBefore = CommitCosts.read(prometheus);
          markersStarted = System.nanoTime();
          fresh = Freshness.measure(client, markers, 0, trail, BenchMain::say);
        }
        // How often each stage committed while the markers ran, and the broker round trips in each
        // commit: a marker waits at every hop for the next commit and for that commit to finish.
        List<CommitCosts.Cost> commits =
            CommitCosts.between(
                commitsBefore,
                CommitCosts.read(prometheus),
                Duration.ofNanos(System.nanoTime() - markersStarted));
        Histogram freshness = fresh.millis();
        // Each marker's way, by wall clock: a slow one can be laid beside the services' logs.
        report.attach("w3-markers.csv", Freshness.timelinesCsv(hops, fresh.timelines()));
        report.put("w3_freshness_p50_ms", (double) freshness.getValueAtPercentile(50));
        report.put("w3_freshness_p99_ms", (double) freshness.getValueAtPercentile(99));
        Histogram micros = new Histogram(600_000_000L, 3);
        for (var v : freshness.recordedValues()) {
          micros.recordValueWithCount(v.getValueIteratedTo() * 1000, v.getCountAtValueIteratedTo());
        }
        report.latency("w3 freshness (202 -> queryable)", micros);
        report.row(
            new Report.Row(
                "W3 freshness",
                "202 -> visible in a query",
                freshness.getTotalCount() + " of " + fresh.sent() + " markers",
                "p99 ≤ 300 ms",
                freshness.getValueAtPercentile(50) + " ms",
                freshness.getValueAtPercentile(99) + " ms",
                "a marker every 200 ms at "
                    + Report.fmt(load)
                    + " ev/s background; p90 "
                    + freshness.getValueAtPercentile(90)
                    + " ms, max "
                    + freshness.getMaxValue()
                    + " ms; "
                    + fresh.missed()
                    + " not visible within 30 s"));
        fresh
            .steps()
            .forEach(
                (step, millis) ->
                    report.row(
                        new Report.Row(
                            "W3 freshness",
                            "step " + step,
                            millis.getTotalCount() + " markers",
                            "–",
                            millis.getValueAtPercentile(50) + " ms",
                            millis.getValueAtPercentile(99) + " ms",
                            "first readable (read_committed) on each hop; max "
                                + millis.getMaxValue()
                                + " ms")));
        for (CommitCosts.Cost cost : commits) {
          say("W3: " + cost.service() + " " + cost.describe());
          report.row(
              new Report.Row(
                  "W3 freshness",
                  "commits of " + cost.service(),
                  String.format(Locale.ROOT, "%.1f/s", cost.perSecond()),
                  "–",
                  "–",
                  "–",
                  cost.perCommit() + " (its Prometheus counters while the markers ran)"));
        }
      }
      Map<String, Double> rssByProcess = target.rssMibByProcess();
      Double rss =
          rssByProcess.isEmpty()
              ? null
              : rssByProcess.values().stream().mapToDouble(Double::doubleValue).sum();
      report.put("stack_rss_mib", rss);
      List<String> rssParts = new ArrayList<>();
      rssByProcess.forEach(
          (process, mib) -> rssParts.add(String.format(Locale.ROOT, "%s %.0f", process, mib)));
      report.row(
          new Report.Row(
              "Memory",
              "RSS of the stack under load",
              rss == null ? "–" : Report.fmt(rss) + " MiB",
              "≤ 2048 MiB",
              "–",
              "–",
              "four service JVMs + the broker's JVM"
                  + (rssParts.isEmpty()
                      ? ""
                      : "; MiB each: "
                          + String.join(", ", rssParts)
                          + String.format(
                              Locale.ROOT,
                              "; not counted: the load generator %.0f",
                              Target.loadGeneratorRssMib()))));
      if (w4) {
        w4(target, client, phase);
      }
    } finally {
      try {
        loader.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (background[0] != null) {
      report.throughput("background (W3/W4)", background[0].itemsPerSecond());
    }
  }

  /** The Kafka hops of a marker, in pipeline order, for W3's steps. */
  static List<MarkerTrail.Hop> markerHops(String bootstrap, String prefix) {
    TopicCatalog topics = new TopicCatalog(prefix);
    List<String> repartition;
    try (PipelineLag lags = new PipelineLag(bootstrap)) {
      repartition = lags.topics(PipelineLag.AGGREGATE + "-", "-repartition");
    }
    return MarkerTrail.withTopics(
        List.of(
            new MarkerTrail.Hop("events.raw", List.of(topics.eventsRaw().name())),
            new MarkerTrail.Hop("events.enriched", List.of(topics.eventsEnriched().name())),
            // Skipped by the markers of a view that enrich keys by group (the default).
            new MarkerTrail.Hop("repartition", repartition, true),
            new MarkerTrail.Hop("aggregates", List.of(topics.aggregates().name()))));
  }

  /**
   * W5: one backlog of YSB events, drained once by Flink and once by Streamdown's enrich and
   * aggregate. With both services stopped, the backlog goes straight to the raw events topic (as
   * ingest writes it: transactions, Event JSON, key = source); the Flink job reads exactly that
   * range (from the end offsets recorded before the write to the end); then aggregate starts (ready
   * and idle), then enrich, and Streamdown's rate counts from enrich's first committed progress
   * until neither enrich nor aggregate has lag. Each side measures from its first record to its
   * end, so neither JVM's start-up counts. Both results must equal the offline count.
   */
  private void w5(Target target) {
    if (!onOwnStack(target, "W5", "it stops and starts enrich and aggregate")) {
      return;
    }
    StackLauncher stack = target.launcher();
    TopicCatalog topics = new TopicCatalog(target.prefix());
    String raw = topics.eventsRaw().name();
    long events = options.w5Events();
    long firstEventTime = w5FirstEventTime(System.currentTimeMillis());
    YsbCounts expected = new YsbCounts();
    say("W5: waiting until the pipeline caught up, then stopping enrich and aggregate");
    awaitDrained(target, Duration.ofMinutes(3));
    stack.stopService(Service.ENRICH);
    stack.stopService(Service.AGGREGATE);
    try (YsbBacklog backlog = new YsbBacklog(target.bootstrap(), raw)) {
      Map<Integer, Long> start = backlog.endOffsets();
      say(String.format(Locale.ROOT, "W5: writing a backlog of %,d YSB events to %s", events, raw));
      backlog.write(ysb, events, firstEventTime, options.w5Span(), expected, BenchMain::say);
      Map<Integer, Long> end = backlog.endOffsets();

      say("W5 Flink: the YSB job over the backlog (local MiniCluster, parallelism 2)");
      FlinkPeer.Result flink = null;
      String flinkFailure = null;
      try {
        flink =
            FlinkPeer.run(
                options.home(),
                options.javaOptions(),
                target.bootstrap(),
                raw,
                topics.reference().name(),
                start,
                events,
                options.home().resolve("bench/target"),
                Duration.ofMinutes(15),
                BenchMain::say);
      } catch (IllegalStateException e) {
        flinkFailure = e.getMessage();
        say("W5 Flink: failed: " + flinkFailure);
      }

      BacklogDrain.Result floor = w5Floor(target, backlog, start, end, events);

      say("W5 Streamdown: starting aggregate (until ready), then enrich");
      stack.startService(Service.AGGREGATE);
      stack.startServiceNoWait(ServiceInstance.first(Service.ENRICH));
      Map<String, Long> stages = new LinkedHashMap<>();
      target.pids().forEach(
          (process, pid) -> {
            if (process.startsWith(Service.ENRICH.moduleName())
                || process.startsWith(Service.AGGREGATE.moduleName())) {
              stages.put(process, pid);
            }
          });
      stages.put(Target.BROKER, target.pids().get(Target.BROKER));
      BacklogDrain.Stages streamdownStages =
          new BacklogDrain.Stages(
              "W5 Streamdown",
              PipelineLag.ENRICH,
              List.of(raw),
              PipelineLag.AGGREGATE,
              null,
              stages);
      BacklogDrain.Result streamdown =
          drain(target, backlog, start, end, events, streamdownStages, Duration.ofMinutes(15));
      YsbCheck.Outcome check = YsbCheck.await(target.client(), expected, Duration.ofSeconds(120));
      w5Report(events, expected, streamdown, check, flink, flinkFailure);
      w5FloorReport(floor, streamdown, flink == null ? Double.NaN : flink.recordsPerSecond());
    }
  }

  /**
   * W5's floor over the same backlog ({@link KafkaFloor}): its rate, measured like Streamdown's, or
   * NaN if it failed or missed the deadline.
   */
  private BacklogDrain.Result w5Floor(
      Target target,
      YsbBacklog backlog,
      Map<Integer, Long> start,
      Map<Integer, Long> end,
      long events) {
    say("W5 floor: the same Kafka hops as enrich + aggregate with no Streamdown code");
    String raw = new TopicCatalog(target.prefix()).eventsRaw().name();
    try (KafkaFloor floor =
        KafkaFloor.start(
            options.home(),
            // The floor stands for enrich and aggregate, so it runs their JIT compilers.
            options.peerJvmOptions(Service.ENRICH),
            target.bootstrap(),
            raw,
            start,
            target.prefix(),
            options.streamsProperties(),
            options.home().resolve("bench/target"),
            BenchMain::say)) {
      Map<String, Long> processes = new LinkedHashMap<>();
      processes.put("floor JVM", floor.pid());
      processes.put(Target.BROKER, target.pids().get(Target.BROKER));
      BacklogDrain.Stages stages =
          new BacklogDrain.Stages(
              "W5 floor",
              KafkaFloor.enrichGroup(),
              List.of(raw),
              KafkaFloor.aggregateGroup(),
              floor.aggregateInput(),
              processes);
      BacklogDrain.Result drain =
          drain(target, backlog, start, end, events, stages, Duration.ofMinutes(5));
      if (Double.isNaN(drain.rps()) && floor.failure() != null) {
        say("W5 floor: its JVM ended: " + floor.failure());
      }
      return drain;
    } catch (IllegalStateException e) {
      say("W5 floor: failed: " + e.getMessage());
      return BacklogDrain.Result.FAILED;
    }
  }

  /** The CPU per event of Streamdown's two stages in a W5 drain (the broker's left out). */
  private static double stagesCpu(BacklogDrain.Result streamdown) {
    return streamdown.cpuOf(Service.ENRICH.moduleName(), Service.AGGREGATE.moduleName());
  }

  /** {@link BacklogDrain#measure} on the stack of {@code target}, with progress on the console. */
  private static BacklogDrain.Result drain(
      Target target,
      YsbBacklog backlog,
      Map<Integer, Long> start,
      Map<Integer, Long> end,
      long events,
      BacklogDrain.Stages stages,
      Duration deadline) {
    return BacklogDrain.measure(
        target.bootstrap(),
        target.prefix(),
        backlog,
        start,
        end,
        events,
        stages,
        deadline,
        BenchMain::say);
  }

  /**
   * The backlog's event times cover {@code --w5-span} from a window start two hours back: windows
   * no other workload used, inside the view's 6 h retention. The default span (30 s) is shorter
   * than one window plus the 30 s grace (and equal to Flink's 30 s bound on disorder), so however
   * the partitions interleave, no event is late in either engine: both must count every one. A
   * longer span is a catch-up across windows, which each engine must get right on its own.
   */
  static long w5FirstEventTime(long now) {
    long base = now - Duration.ofHours(2).toMillis();
    return base - Math.floorMod(base, Ysb.WINDOW_MILLIS);
  }

  /** How many restarts of each kind the restore workload alternates. */
  static final int RESTORE_PAIRS = 3;

  private static void pause(long millis) {
    try {
      Thread.sleep(millis); // a deadline loop's polling interval, or a load phase's length
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private void w5Report(
      long events,
      YsbCounts expected,
      BacklogDrain.Result streamdown,
      YsbCheck.Outcome streamdownCheck,
      FlinkPeer.Result flink,
      String flinkFailure) {
    Map<YsbCounts.Cell, Long> offline = expected.snapshot();
    List<String> flinkWrong =
        flink == null ? List.of() : FlinkPeer.mismatches(offline, flink.cells(), 5);
    boolean flinkCorrect = flink != null && flinkWrong.isEmpty() && flink.records() == events;
    boolean streamdownCorrect = streamdownCheck.correct();
    double streamdownRps = streamdown.rps();
    double flinkRps = flink == null ? Double.NaN : flink.recordsPerSecond();
    double stagesCpu = stagesCpu(streamdown);
    report.put("w5_cpu_us_per_event", stagesCpu);
    double ratio = streamdownRps / flinkRps;
    report.put("w5_flink_rps", flinkRps);
    report.put("w5_vs_flink", ratio);
    String flinkVersion = FlinkPeer.flinkVersion(options.home());
    report.context("flink (W5)", flinkVersion + ", local MiniCluster, parallelism 2, -Xmx768m");
    String backlog =
        String.format(
            Locale.ROOT,
            "%,d events written to events.raw beforehand, %d windows, %d cells",
            events,
            offline.keySet().stream().map(YsbCounts.Cell::windowStart).distinct().count(),
            offline.size());
    report.row(
        new Report.Row(
            "W5 vs Flink",
            "Streamdown enrich + aggregate rec/s (backlog drain)",
            Report.fmt(streamdownRps),
            "≥ 1.0 × Flink: " + Report.ratio(ratio),
            "–",
            "–",
            backlog
                + "; from enrich's first commit until enrich and aggregate have no lag"
                + "; counts "
                + (streamdownCorrect ? "correct" : "WRONG: " + streamdownCheck.mismatches())
                + "; CPU µs per event: "
                + streamdown.cpuSplit()));
    report.row(
        new Report.Row(
            "W5 vs Flink",
            "Flink " + flinkVersion + " job rec/s (same backlog)",
            flink == null ? "–" : Report.fmt(flinkRps),
            "baseline",
            "–",
            "–",
            flink == null
                ? "failed: " + flinkFailure
                : String.format(
                        Locale.ROOT,
                        "%,d events in %.2f s, from its first event to its last result",
                        flink.records(),
                        flink.seconds())
                    + "; counts "
                    + (flinkCorrect
                        ? "correct"
                        : "WRONG: " + flink.accounting() + "; " + flinkWrong)));
    Object earlier = report.get("ysb_correct");
    boolean all = streamdownCorrect && flinkCorrect && !Boolean.FALSE.equals(earlier);
    report.put("ysb_correct", all);
    say(
        "W5: Streamdown "
            + Report.fmt(streamdownRps)
            + " ev/s, Flink "
            + Report.fmt(flinkRps)
            + " ev/s, ratio "
            + Report.ratio(ratio)
            + "; counts Streamdown "
            + (streamdownCorrect ? "correct" : "WRONG")
            + ", Flink "
            + (flinkCorrect ? "correct" : "WRONG"));
  }

  /**
   * W5's floor row: what Kafka and Kafka Streams alone allow for enrich + aggregate's hops, against
   * Streamdown, Flink and W2's target (0.3 × W0 producer rate, which a whole pipeline cannot reach
   * if its two middle stages alone cannot).
   */
  private void w5FloorReport(
      BacklogDrain.Result floor, BacklogDrain.Result streamdown, double flinkRps) {
    double floorRps = floor.rps();
    double streamdownRps = streamdown.rps();
    double floorCpu = floor.cpuOf("floor");
    double stagesCpu = stagesCpu(streamdown);
    report.put("w5_floor_rps", floorRps);
    report.put("w5_vs_floor", streamdownRps / floorRps);
    report.put("w5_floor_vs_flink", floorRps / flinkRps);
    report.put("w5_floor_cpu_us_per_event", floorCpu);
    report.put("w5_cpu_vs_floor", stagesCpu / floorCpu);
    double w2Target = 0.3 * report.number("w0_produce_rps");
    report.row(
        new Report.Row(
            "W5 floor",
            "Kafka Streams, same hops, no Streamdown code: rec/s (same backlog)",
            Report.fmt(floorRps),
            "Flink " + Report.fmt(flinkRps) + ": " + Report.ratio(floorRps / flinkRps),
            "–",
            "–",
            "Streamdown / floor "
                + Report.ratio(streamdownRps / floorRps)
                + " in rate, "
                + Report.ratio(stagesCpu / floorCpu)
                + " in CPU per event (enrich + aggregate against the floor's JVM)"
                + (Double.isNaN(w2Target)
                    ? ""
                    : "; W2's target (0.3 × W0 produce) " + Report.fmt(w2Target) + " ev/s")
                + "; CPU µs per event: "
                + floor.cpuSplit()
                + "; exactly_once_v2, the services' JVM options, the run's Streams properties:"
                + " raw bytes through a logged store to a copy topic, re-keyed to 300 groups,"
                + " repartitioned, count() per 10 s window"));
    say(
        "W5 floor: "
            + Report.fmt(floorRps)
            + " ev/s; Streamdown / floor "
            + Report.ratio(streamdownRps / floorRps)
            + " (CPU per event "
            + Report.ratio(stagesCpu / floorCpu)
            + "), floor / Flink "
            + Report.ratio(floorRps / flinkRps));
  }

  /**
   * Seconds until the query API counts every accepted event, or -1 after the deadline. This, not
   * the consumer lag, ends a pipeline run: committed offsets trail by up to the commit interval,
   * and the lags of the stages are read one after the other, not at one instant. Counted by {@link
   * VisibleEvents}, which asks only about windows still filling.
   */
  private static double awaitVisible(StackClient client, YsbCounts counts, Duration deadline) {
    long start = System.nanoTime();
    long end = start + deadline.toNanos();
    long lastReport = start;
    Map<Long, Long> accepted = VisibleEvents.acceptedPerWindow(counts);
    long total = VisibleEvents.total(accepted);
    VisibleEvents visibleEvents = VisibleEvents.of(client);
    while (System.nanoTime() < end) {
      long visible = visibleEvents.count(accepted);
      if (visible == total) {
        return (System.nanoTime() - start) / 1e9;
      }
      if (System.nanoTime() - lastReport > 5_000_000_000L) {
        say(String.format(Locale.ROOT, "  %,d of %,d events queryable", visible, total));
        lastReport = System.nanoTime();
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return -1;
      }
    }
    return -1;
  }

  /** Seconds until the pipeline's lag is zero, or -1 after the deadline. */
  private static double awaitDrained(Target target, Duration deadline) {
    long start = System.nanoTime();
    long end = start + deadline.toNanos();
    try (PipelineLag lag = new PipelineLag(target.bootstrap())) {
      long lastReport = start;
      while (System.nanoTime() < end) {
        Map<String, Long> lags = lag.lag(new TopicCatalog(target.prefix()));
        if (PipelineLag.total(lags.values()) == 0) {
          return (System.nanoTime() - start) / 1e9;
        }
        if (System.nanoTime() - lastReport > 5_000_000_000L) {
          say("  lag " + lags);
          lastReport = System.nanoTime();
        }
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return -1;
        }
      }
    }
    return -1;
  }

  private void context() {
    report.context("run", stamp);
    report.context("command", "./streamdown bench " + String.join(" ", commandLine()));
    report.context(
        "machine",
        Runtime.getRuntime().availableProcessors()
            + " cores, "
            + cpuModel()
            + ", "
            + System.getProperty("os.name")
            + " "
            + System.getProperty("os.arch"));
    report.context(
        "java", System.getProperty("java.vendor") + " " + System.getProperty("java.version"));
    report.context("kafka", org.apache.kafka.common.utils.AppInfoParser.getVersion());
    report.context(
        "service JVM options",
        String.join(" ", options.serviceJvmOptions())
            + " (the services start with "
            + Arrays.stream(Service.values())
                .map(
                    service ->
                        service.shortName()
                            + " "
                            + String.join(" ", StackOptions.defaultServiceOptions(service)))
                .collect(Collectors.joining(", "))
            + ")");
    report.context("load average at the start", loadAverage());
    report.context("duration per phase", options.duration().toSeconds() + " s");
  }

  private List<String> commandLine() {
    List<String> parts = new ArrayList<>();
    options.workloads().forEach(w -> parts.add(w.name().toLowerCase(Locale.ROOT)));
    parts.add("--duration " + options.duration().toSeconds() + "s");
    parts.add("--rate " + (long) options.rate());
    parts.add("--single-rate " + (long) options.singleRate());
    if (options.fixedW3Load()) {
      parts.add("--w3-rate " + (long) options.w3Rate());
    }
    if (!options.w3Duration().equals(options.duration())
        && options.workloads().contains(Workload.W3)) {
      parts.add("--w3-duration " + options.w3Duration().toSeconds() + "s");
    }
    if (options.workloads().contains(Workload.W5)) {
      parts.add("--w5-events " + options.w5Events());
      if (!options.w5Span().equals(BenchOptions.DEFAULT_W5_SPAN)) {
        long spanMs = options.w5Span().toMillis();
        parts.add("--w5-span " + (spanMs % 1000 == 0 ? spanMs / 1000 + "s" : spanMs + "ms"));
      }
    }
    if (!options.alos() && options.workloads().contains(Workload.W2)) {
      parts.add("--no-alos");
    }
    if (options.partitions() != TopicCatalog.DEFAULT_PARTITIONS) {
      parts.add("--partitions " + options.partitions());
    }
    options.streamsProperties().forEach(p -> parts.add("--streams-property " + p));
    options.javaOptions().forEach(o -> parts.add("--java-opt " + o));
    options.brokerJavaOptions().forEach(o -> parts.add("--broker-java-opt " + o));
    return parts;
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  private static String cpuModel() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
          .filter(l -> l.startsWith("model name"))
          .map(l -> l.substring(l.indexOf(':') + 1).trim())
          .findFirst()
          .orElse("unknown CPU");
    } catch (IOException | RuntimeException e) {
      return "unknown CPU";
    }
  }

  private Path jarsHome;

  private Path jarsHome() {
    if (jarsHome == null) {
      jarsHome = BenchStack.snapshotJars(options.home());
    }
    return jarsHome;
  }

  /** Reuses a stack on the default ports, or starts one with the YSB view on free ports. */
  private Target reuseOrStart(List<String> streamsArgs) {
    PortPlan defaults = PortPlan.defaults();
    if (streamsArgs.isEmpty()
        && options.javaOptions().isEmpty()
        && options.brokerJavaOptions().isEmpty()
        && options.partitions() == TopicCatalog.DEFAULT_PARTITIONS
        && !options.fresh()
        && answers(defaults, Service.INGEST)
        && answers(defaults, Service.QUERY)) {
      say("reusing the stack on the default ports (" + defaults.bootstrapServers() + ")");
      report.context("stack", "reused (default ports)");
      return new Target(null, null, defaults, "streamdown.", null);
    }
    Path data;
    try {
      Path parent = options.home().resolve("bench/target");
      Files.createDirectories(parent);
      data = Files.createTempDirectory(parent, "bench-data-");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    StackOptions stackOptions =
        BenchStack.options(
            jarsHome(), data, options.partitions(), streamsArgs, options.javaOptions());
    say("starting the local stack (data " + data + ")");
    PortPlan ports = stackOptions.ports();
    BenchBroker broker =
        BenchBroker.start(
            options.home(),
            data,
            ports,
            stackOptions.topicPrefix(),
            stackOptions.partitions(),
            options.brokerJavaOptions(),
            stackOptions.logsDir().resolve("launcher.out"));
    say("[broker] ready at " + broker.bootstrapServers() + " (pid " + broker.pid() + ")");
    StackLauncher launcher =
        new StackLauncher(stackOptions)
            .useExternalBroker(broker.bootstrapServers())
            .onProgress(line -> say("[stack] " + line));
    Target target = new Target(launcher, broker, ports, stackOptions.topicPrefix(), data);
    // A run stopped by a signal (Ctrl-C) stops its stack and deletes its broker data and Streams
    // state as a finished run does, instead of leaving a gigabyte or two behind; after a finished
    // run the target is closed already and the hook finds nothing to do.
    Runtime.getRuntime().addShutdownHook(new Thread(target::close, "bench-stack-cleanup"));
    launcher.start();
    return target;
  }

  /** The Prometheus endpoint of each Kafka Streams service's (first) instance, by module name. */
  private static Map<String, URI> streamsPrometheus(Target target) {
    Map<String, URI> endpoints = new LinkedHashMap<>();
    for (Service service : Service.values()) {
      if (service.kafkaStreams()) {
        endpoints.put(
            service.moduleName(), new ServiceUrls(target.ports().ports(service)).prometheus());
      }
    }
    return endpoints;
  }

  private static boolean answers(PortPlan plan, Service service) {
    try {
      HttpResponse<Void> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create(
                              "http://localhost:"
                                  + plan.ports(service).management()
                                  + "/actuator/health/readiness"))
                      .timeout(Duration.ofSeconds(2))
                      .build(),
                  HttpResponse.BodyHandlers.discarding());
      return response.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * W4: 8 closed-loop clients ask the first query instance for the windows of random keys. On a
   * stack started here a second query instance runs meanwhile, so that the keys of the partitions
   * it owns are routed; answers are sorted into local and routed by the instance that served them.
   * An unmeasured warm-up first, so that the JIT compiler's work is not counted as queries' time;
   * after the phase, the floor ({@link #w4Floor}).
   */
  private void w4(Target target, StackClient client, Duration phase) {
    ServiceInstance second = new ServiceInstance(Service.QUERY, 1);
    boolean routing = false;
    if (target.own()) {
      say("W4: starting a second query instance, so that some keys are routed");
      try {
        target.launcher().startService(second);
        routing = true;
      } catch (RuntimeException e) {
        report.note("W4: the second query instance did not start (" + e.getMessage() + ").");
      }
    }
    try {
      String self =
          routing
              ? client
                  .get(QueryLoad.VIEW_LIST)
                  .headers()
                  .firstValue(QueryLoad.SERVED_BY)
                  .orElse(null)
              : null;
      if (routing && !awaitAnswering(client, Duration.ofSeconds(90))) {
        report.note("W4: queries still failed 90 s after the second query instance started.");
      }
      say(
          "W4: "
              + W4_WARMUP.toSeconds()
              + " s warm-up, "
              + phase.toSeconds()
              + " s measured, then "
              + W4_FLOOR.toSeconds()
              + " s of the floor (the view list)");
      QueryLoad.Queries windows = QueryLoad.windows(ysb.campaigns());
      QueryLoad.run(client, windows, 8, W4_WARMUP, self);
      QueryPhase measured = queryPhase(target, client, windows, phase, self);
      QueryPhase floor = queryPhase(target, client, QueryLoad.viewList(), W4_FLOOR, self);
      // The background's CPU per process, measured alone after the queries (when a second
      // instance has long finished starting), is taken off what each process used while they ran.
      CpuUse.Snapshot quietStart = CpuUse.of(target.pids());
      long quietBegin = System.nanoTime();
      LockSupport.parkNanos(W4_BACKGROUND_ALONE.toNanos());
      Background quiet =
          new Background(
              CpuUse.of(target.pids()).since(quietStart), System.nanoTime() - quietBegin);
      QueryLoad.Result queries = measured.result();
      QueryCpu cpu = queryCpu(quiet, measured);
      report.put("w4_query_cpu_us_per_query", cpu.microsPerAnswer());
      Histogram local = queries.localMicros();
      Histogram routed = queries.routedMicros();
      report.put("w4_qps", queries.qps());
      report.put("w4_local_p99_ms", local.getValueAtPercentile(99) / 1000.0);
      report.latency("w4 queries (local keys)", local);
      if (routed.getTotalCount() > 0) {
        report.put("w4_routed_p99_ms", routed.getValueAtPercentile(99) / 1000.0);
        report.latency("w4 queries (routed keys)", routed);
      }
      String instances =
          routing ? "two query instances, the first one asked" : "one query instance";
      report.row(
          new Report.Row(
              "W4 queries",
              "windows of a random key, 8 closed-loop clients",
              Report.fmt(queries.qps()) + " q/s",
              "≥ 5000 q/s, local p99 ≤ 5 ms",
              Report.ms(local, 50),
              Report.ms(local, 99),
              instances
                  + "; local keys: "
                  + local.getTotalCount()
                  + " answers; "
                  + queries.failed()
                  + " failed; after a "
                  + W4_WARMUP.toSeconds()
                  + " s warm-up"
                  + cpu.description()));
      if (routed.getTotalCount() > 0) {
        report.row(
            new Report.Row(
                "W4 queries",
                "routed keys (served by the other instance)",
                routed.getTotalCount() + " answers",
                "p99 ≤ 8 ms",
                Report.ms(routed, 50),
                Report.ms(routed, 99),
                "same run; the asked instance forwards the query to the key's owner"));
      }
      w4Floor(floor, queryCpu(quiet, floor), queries);
    } finally {
      if (routing) {
        target.launcher().stopService(second);
      }
    }
  }

  /**
   * Reports W4's floor, measured right after its queries: the same 8 clients asked the same
   * instance for the view list ({@link #W4_FLOOR}). Whatever a windows query costs beyond it is
   * the query's own work (the store read, the route, the larger answer); what the floor costs,
   * every query pays before any of that, so the floor's rate bounds W4's on this machine and under
   * this load.
   */
  private void w4Floor(QueryPhase measured, QueryCpu cpu, QueryLoad.Result queries) {
    QueryLoad.Result floor = measured.result();
    Histogram latency = floor.latencyMicros();
    double vsFloor = queries.qps() / floor.qps();
    report.put("w4_floor_qps", floor.qps());
    report.put("w4_vs_floor", vsFloor);
    report.put("w4_floor_cpu_us_per_query", cpu.microsPerAnswer());
    if (latency.getTotalCount() > 0) {
      report.put("w4_floor_p99_ms", latency.getValueAtPercentile(99) / 1000.0);
      report.latency("w4 floor (view list)", latency);
    }
    report.row(
        new Report.Row(
            "W4 floor",
            "the view list from the same instance, 8 closed-loop clients: no store read, no route",
            Report.fmt(floor.qps()) + " q/s",
            "bounds W4",
            Report.ms(latency, 50),
            Report.ms(latency, 99),
            String.format(Locale.ROOT, "W4 = %.2f × the floor; ", vsFloor)
                + floor.failed()
                + " failed; right after W4's phase, same background"
                + cpu.description()));
  }

  /** The CPU each process used with the background load alone, over {@code nanos}. */
  private record Background(Map<String, Duration> used, long nanos) {}

  /** The query instances' CPU per answer beyond the background's, and how it was measured. */
  private record QueryCpu(double microsPerAnswer, String description) {}

  /** A measured query phase: its answers, and the CPU each process used over {@code nanos}. */
  private record QueryPhase(QueryLoad.Result result, Map<String, Duration> used, long nanos) {}

  /** 8 closed-loop clients asking {@code queries} for {@code duration}, with the CPU used. */
  private static QueryPhase queryPhase(
      Target target,
      StackClient client,
      QueryLoad.Queries queries,
      Duration duration,
      String self) {
    CpuUse.Snapshot start = CpuUse.of(target.pids());
    long begin = System.nanoTime();
    QueryLoad.Result result = QueryLoad.run(client, queries, 8, duration, self);
    long nanos = System.nanoTime() - begin;
    return new QueryPhase(result, CpuUse.of(target.pids()).since(start), nanos);
  }

  /**
   * The query instances' CPU per answered query beyond what they spend on the background load
   * (their CPU over the phase less their background-alone rate over as long, per answer), and the
   * cores each process used in the phase and with the background alone: on two shared cores a
   * closed-loop client's rate is how long its query waits for one, so this is the number to
   * compare between versions.
   *
   * @return NaN and an empty description when not measured; else the description is "; CPU …"
   *     for the report's row
   */
  private static QueryCpu queryCpu(Background quiet, QueryPhase phase) {
    Map<String, Duration> alone = quiet.used();
    long aloneNanos = quiet.nanos();
    Map<String, Duration> used = phase.used();
    long usedNanos = phase.nanos();
    long queries = phase.result().ok();
    if (used.isEmpty() || queries <= 0 || aloneNanos <= 0 || usedNanos <= 0) {
      return new QueryCpu(Double.NaN, "");
    }
    double extraNanos = 0;
    List<String> parts = new ArrayList<>();
    for (Map.Entry<String, Duration> entry : used.entrySet()) {
      String process = entry.getKey();
      double cores = entry.getValue().toNanos() / (double) usedNanos;
      Duration quietUse = alone.get(process);
      double coresAlone =
          quietUse == null ? Double.NaN : quietUse.toNanos() / (double) aloneNanos;
      if (process.startsWith(Service.QUERY.moduleName()) && quietUse != null) {
        extraNanos += (cores - coresAlone) * usedNanos;
      }
      parts.add(String.format(Locale.ROOT, "%s %.2f (%.2f)", process, cores, coresAlone));
    }
    double perQuery = extraNanos / 1000.0 / queries;
    return new QueryCpu(
        perQuery,
        String.format(
            Locale.ROOT,
            "; query instances' CPU %.1f µs per answer beyond the background's; cores in use"
                + " (of %d) during the phase (background alone, %d s after the queries): %s",
            perQuery,
            Runtime.getRuntime().availableProcessors(),
            Math.round(aloneNanos / 1e9),
            String.join(", ", parts)));
  }

  /**
   * Waits until the query instances have settled after one joined (tasks moved, stores restored):
   * until a round of queries of every key of a few campaigns all succeed; false at the deadline.
   */
  private boolean awaitAnswering(StackClient client, Duration deadline) {
    long end = System.nanoTime() + deadline.toNanos();
    List<String> campaigns = ysb.campaigns().subList(0, 10);
    while (System.nanoTime() < end) {
      QueryLoad.Result round =
          QueryLoad.run(
              client, QueryLoad.windows(campaigns), 2, Duration.ofSeconds(1), null);
      if (round.failed() == 0 && round.ok() > 0) {
        return true;
      }
    }
    return false;
  }

  /**
   * A stack to measure: started here ({@code launcher} and {@code broker} set) or reused. The
   * broker runs in a JVM of its own; this JVM is the load generator.
   */
  record Target(
      StackLauncher launcher, BenchBroker broker, PortPlan ports, String prefix, Path dataDir)
      implements AutoCloseable {

    /** The broker's JVM, by name in {@link #pids()}. */
    static final String BROKER = "broker";

    /** This JVM, by name in {@link #pids()}: the load generator and the benchmark's probes. */
    static final String LOAD_GENERATOR = "load generator";

    boolean own() {
      return launcher != null;
    }

    String bootstrap() {
      return ports.bootstrapServers();
    }

    StackClient client() {
      return Clients.of(this);
    }

    /**
     * The processes of a stack started here, by name: each service instance, the broker, and this
     * JVM (the load generator). Empty for a reused stack.
     */
    Map<String, Long> pids() {
      Map<String, Long> pids = new LinkedHashMap<>(stackPids());
      if (launcher != null) {
        pids.put(LOAD_GENERATOR, ProcessHandle.current().pid());
      }
      return pids;
    }

    /** The stack's own processes (services and broker), without the load generator. */
    Map<String, Long> stackPids() {
      Map<String, Long> pids = new LinkedHashMap<>();
      if (launcher != null) {
        for (ServiceProcess process : launcher.services()) {
          pids.put(process.name(), process.pid());
        }
        pids.put(BROKER, broker.pid());
      }
      return pids;
    }

    /** RSS of each of the stack's processes (not the load generator), MiB; empty if reused. */
    Map<String, Double> rssMibByProcess() {
      Map<String, Double> rss = new LinkedHashMap<>();
      stackPids().forEach((name, pid) -> rss.put(name, rssKib(pid) / 1024.0));
      return rss;
    }

    /** RSS of this JVM, the load generator, MiB. */
    static double loadGeneratorRssMib() {
      return rssKib(ProcessHandle.current().pid()) / 1024.0;
    }

    @Override
    public void close() {
      Clients.close(this);
      if (launcher != null) {
        launcher.close(); // the services first: they commit and leave their groups
        broker.close();
        // The broker's data, the Streams state and the services' temporary files are worthless
        // after the run; the services' logs and the broker's log stay for inspection.
        deleteTree(dataDir.resolve("kafka"));
        deleteTree(dataDir.resolve("state"));
        deleteTree(dataDir.resolve("tmp"));
      }
    }

    static void deleteTree(Path root) {
      try {
        io.streamdown.local.FileTrees.delete(root);
      } catch (IOException e) {
        say("could not delete " + root + ": " + e.getMessage());
      }
    }

    private static long rssKib(long pid) {
      try {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
          if (line.startsWith("VmRSS:")) {
            return Long.parseLong(line.replaceAll("[^0-9]", ""));
          }
        }
      } catch (IOException | RuntimeException e) {
        // a process that is gone has no RSS
      }
      return 0;
    }
  }

  /** One {@link StackClient} per target. */
  private static final class Clients {
    private static final Map<Target, StackClient> CLIENTS =
        new java.util.concurrent.ConcurrentHashMap<>();

    static StackClient of(Target target) {
      return CLIENTS.computeIfAbsent(
          target,
          t ->
              new StackClient(
                  URI.create("http://localhost:" + t.ports().ports(Service.INGEST).http()),
                  URI.create("http://localhost:" + t.ports().ports(Service.QUERY).http())));
    }

    static void close(Target target) {
      StackClient client = CLIENTS.remove(target);
      if (client != null) {
        client.close();
      }
    }
  }
}
