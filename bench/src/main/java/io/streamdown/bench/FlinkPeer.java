package io.streamdown.bench;

import io.streamdown.schemas.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;

/**
 * W5's peer: runs the Flink job of module {@code bench-flink} ({@code FlinkYsbJob}, a local
 * MiniCluster) in a child JVM over a backlog of the stack's raw events topic, and reads the result
 * file it writes: events read, seconds from the first event to the last result, and its YSB cells.
 */
public final class FlinkPeer {

  static final String MAIN_CLASS = "io.streamdown.bench.flink.FlinkYsbJob";
  static final String PROGRESS = "flink-ysb: ";

  /**
   * The JVM options Flink needs on Java 17 (Flink's own {@code env.java.opts.all} for Java 17), the
   * heap of the job's JVM, and quiet logs.
   */
  static final List<String> JVM_OPTIONS =
      List.of(
          "-Xmx768m",
          "-XX:+ExitOnOutOfMemoryError",
          "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
          "--add-exports=java.base/sun.net.util=ALL-UNNAMED",
          "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
          "--add-exports=jdk.compiler/com.sun.tools.javac.api=ALL-UNNAMED",
          "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
          "--add-exports=jdk.compiler/com.sun.tools.javac.parser=ALL-UNNAMED",
          "--add-exports=jdk.compiler/com.sun.tools.javac.tree=ALL-UNNAMED",
          "--add-exports=jdk.compiler/com.sun.tools.javac.util=ALL-UNNAMED",
          "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
          "--add-opens=java.base/java.lang=ALL-UNNAMED",
          "--add-opens=java.base/java.net=ALL-UNNAMED",
          "--add-opens=java.base/java.io=ALL-UNNAMED",
          "--add-opens=java.base/java.nio=ALL-UNNAMED",
          "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
          "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
          "--add-opens=java.base/java.text=ALL-UNNAMED",
          "--add-opens=java.base/java.time=ALL-UNNAMED",
          "--add-opens=java.base/java.util=ALL-UNNAMED",
          "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
          "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
          "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");

  /**
   * What the job measured.
   *
   * @param records events read from the events topic
   * @param references reference records read
   * @param unjoined events dropped because their ad had no campaign when the references ended
   * @param late joined events dropped because their window had already fired
   * @param seconds from the first event read to the last result delivered
   * @param cells its YSB counts
   */
  public record Result(
      long records,
      long references,
      long unjoined,
      long late,
      double seconds,
      Map<YsbCounts.Cell, Long> cells) {
    public double recordsPerSecond() {
      return seconds > 0 ? records / seconds : Double.NaN;
    }

    /** What the job read and dropped, to say where events went when a count differs. */
    public String accounting() {
      return String.format(
          Locale.ROOT,
          "read %,d events and %,d references; dropped %,d events without a campaign, %,d late",
          records,
          references,
          unjoined,
          late);
    }
  }

  private FlinkPeer() {}

  /**
   * The job's temporary directory, its {@code java.io.tmpdir}: Flink unpacks its RPC system there
   * (a jar of about 21 MB per start) and deletes it only when the cluster closes, which a job
   * that ends with {@code System.exit} never does, so every W5 run and every {@code mvn verify}
   * left one in the machine's temporary directory. The harness empties it before the job and
   * deletes it after, however the job ended.
   */
  static Path tempDir(Path workDir) {
    return workDir.resolve("w5-flink-tmp");
  }

  /** The job's jar, which Maven builds with its dependencies in {@code lib/} beside it. */
  static Path jar(Path home) {
    return PeerCommand.jar(home, "bench-flink");
  }

  /**
   * Runs the job over {@code eventsTopic} from {@code startOffsets} (partition to offset) to the
   * end, joined with {@code referenceTopic}, and returns its result.
   *
   * @param javaOptions extra JVM options of the job, after its own
   * @param workDir where the offsets file, the result file and the job's log go
   * @param deadline how long the job may take, JVM start included
   * @throws IllegalStateException if the job is not built, fails, or misses the deadline
   */
  public static Result run(
      Path home,
      List<String> javaOptions,
      String bootstrap,
      String eventsTopic,
      String referenceTopic,
      Map<Integer, Long> startOffsets,
      long expected,
      Path workDir,
      Duration deadline,
      Consumer<String> progress) {
    Path offsets = workDir.resolve("w5-start-offsets.properties");
    Path out = workDir.resolve("w5-flink-result.json");
    Path log = workDir.resolve("w5-flink.log");
    Path tmp = tempDir(workDir);
    List<String> jvm = new ArrayList<>(JVM_OPTIONS);
    jvm.add("-Djava.io.tmpdir=" + tmp);
    jvm.addAll(javaOptions);
    List<String> command = PeerCommand.of(home, "bench-flink", "the Flink job", jvm, MAIN_CLASS);
    command.addAll(
        List.of(
            "--bootstrap",
            bootstrap,
            "--events-topic",
            eventsTopic,
            "--reference-topic",
            referenceTopic,
            "--from-offsets-file",
            offsets.toString(),
            "--expected",
            Long.toString(expected),
            "--out",
            out.toString()));
    try {
      Files.createDirectories(workDir);
      BenchMain.Target.deleteTree(tmp);
      Files.createDirectories(tmp);
      Files.deleteIfExists(out);
      StringBuilder lines = new StringBuilder();
      new TreeMap<>(startOffsets)
          .forEach((p, o) -> lines.append(p).append('=').append(o).append('\n'));
      Files.writeString(offsets, lines);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare the Flink job's files in " + workDir, e);
    }
    PeerProcess peer = PeerProcess.start(command, "the Flink job");
    Process process = peer.process();
    PeerOutput output =
        PeerOutput.start(
            process,
            log,
            line -> {
              if (line.startsWith(PROGRESS)) {
                progress.accept("  w5 flink: " + line.substring(PROGRESS.length()));
              }
            },
            last -> {});
    try {
      if (!process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        throw new IllegalStateException(
            "the Flink job did not finish within " + deadline.toSeconds() + " s (log " + log + ")");
      }
      output.join(5_000);
      if (process.exitValue() != 0 || !Files.isRegularFile(out)) {
        throw new IllegalStateException(
            "the Flink job failed with exit code "
                + process.exitValue()
                + " (log "
                + log
                + "): "
                + output.lastLines());
      }
      return parse(Files.readString(out));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the Flink job ran", e);
    } finally {
      peer.release();
      if (!process.isAlive()) {
        BenchMain.Target.deleteTree(tmp);
      }
    }
  }

  /** Flink's version, from the jars beside the job's; "unknown" if there are none. */
  static String flinkVersion(Path home) {
    String prefix = "flink-streaming-java-";
    try (var jars = Files.list(home.resolve("bench-flink/target/lib"))) {
      return jars.map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith(prefix) && n.endsWith(".jar"))
          .map(n -> n.substring(prefix.length(), n.length() - 4))
          .findFirst()
          .orElse("unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }

  /** Reads the job's result file. */
  static Result parse(String json) {
    JsonNode root = Json.MAPPER.readTree(json);
    Map<YsbCounts.Cell, Long> cells = new TreeMap<>();
    for (JsonNode cell : root.get("cells")) {
      cells.merge(
          new YsbCounts.Cell(cell.get(0).asLong(), cell.get(1).asString(), cell.get(2).asString()),
          cell.get(3).asLong(),
          Long::sum);
    }
    return new Result(
        root.get("records").asLong(),
        root.get("references").asLong(),
        root.get("unjoined").asLong(),
        root.get("late").asLong(),
        root.get("seconds").asDouble(),
        cells);
  }

  /** Up to {@code max} differences between the expected and the job's cells; empty if equal. */
  static List<String> mismatches(
      Map<YsbCounts.Cell, Long> expected, Map<YsbCounts.Cell, Long> actual, int max) {
    TreeSet<YsbCounts.Cell> keys = new TreeSet<>(expected.keySet());
    keys.addAll(actual.keySet());
    List<String> differences = new ArrayList<>();
    for (YsbCounts.Cell cell : keys) {
      long want = expected.getOrDefault(cell, 0L);
      long got = actual.getOrDefault(cell, 0L);
      if (want != got && differences.size() < max) {
        differences.add(
            "window "
                + cell.windowStart()
                + " "
                + cell.eventType()
                + "/"
                + cell.campaignId()
                + ": expected "
                + want
                + ", Flink "
                + got);
      }
    }
    return differences;
  }
}
