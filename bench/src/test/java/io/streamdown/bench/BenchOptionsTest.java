package io.streamdown.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamdown.bench.BenchOptions.Workload;
import io.streamdown.local.Service;
import io.streamdown.local.StackOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchOptionsTest {

  @Test
  void defaultsRunEverythingButRestore() {
    BenchOptions options = BenchOptions.parse(List.of("--home", "/repo"));
    assertThat(options.workloads())
        .isEqualTo(EnumSet.range(Workload.W0, Workload.W5))
        .doesNotContain(Workload.RESTORE);
    assertThat(BenchOptions.parse(List.of("all")).workloads()).doesNotContain(Workload.RESTORE);
    assertThat(options.restoreWindows()).isEqualTo(300_000);
    assertThat(options.duration()).isEqualTo(Duration.ofSeconds(20));
    assertThat(options.out()).isEqualTo(Path.of("/repo/bench/results"));
    assertThat(options.alos()).isTrue();
    assertThat(options.fresh()).isFalse();
    assertThat(options.w5Events()).isEqualTo(200_000);
    assertThat(options.w5Span()).isEqualTo(Duration.ofSeconds(30));
    assertThat(options.partitions()).isEqualTo(6);
    assertThat(options.w3Rate()).isNaN();
    assertThat(options.fixedW3Load()).isFalse();
    assertThat(options.streamsArgs()).isEmpty();
    assertThat(options.javaOptions()).isEmpty();
  }

  @Test
  void w5sSpanIsADurationOfAtMostAnHour() {
    assertThat(BenchOptions.parse(List.of("w5", "--w5-span", "10m")).w5Span())
        .isEqualTo(Duration.ofMinutes(10));
    assertThat(BenchOptions.parse(List.of("w5", "--w5-span", "60m")).w5Span())
        .isEqualTo(Duration.ofHours(1));
    for (String bad : List.of("0s", "-5s", "61m", "ten")) {
      assertThatThrownBy(() -> BenchOptions.parse(List.of("w5", "--w5-span", bad)))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void brokerJavaOptionsAreTheBrokersAloneAndMustBeOptions() {
    BenchOptions options =
        BenchOptions.parse(
            List.of("--broker-java-opt", "-XX:-UseSerialGC", "--broker-java-opt", "-XX:+UseZGC"));

    assertThat(options.brokerJavaOptions()).containsExactly("-XX:-UseSerialGC", "-XX:+UseZGC");
    assertThat(options.javaOptions()).isEmpty();
    assertThat(options.serviceJvmOptions()).doesNotContain("-XX:+UseZGC");
    assertThat(BenchOptions.parse(List.of()).brokerJavaOptions()).isEmpty();
    assertThatThrownBy(() -> BenchOptions.parse(List.of("--broker-java-opt", "w1")))
        .hasMessageContaining("--broker-java-opt needs a JVM option");
  }

  @Test
  void javaOptionsAreKeptInOrderAndMustBeOptions() {
    BenchOptions options =
        BenchOptions.parse(
            List.of("--java-opt", "-XX:TieredStopAtLevel=1", "w2", "--java-opt", "-Xmx512m"));

    assertThat(options.javaOptions()).containsExactly("-XX:TieredStopAtLevel=1", "-Xmx512m");
    // A peer starts with a small heap, the stack's defaults and its counterpart's JIT compilers,
    // then ours.
    assertThat(options.peerJvmOptions(Service.INGEST))
        .startsWith(StackOptions.SMALL_HEAP_START.toArray(String[]::new))
        .containsSubsequence(StackOptions.DEFAULT_JVM_OPTIONS)
        .containsSubsequence(StackOptions.QUICK_JIT_ONLY, "-XX:TieredStopAtLevel=1", "-Xmx512m")
        .endsWith("-XX:TieredStopAtLevel=1", "-Xmx512m");
    assertThat(options.peerJvmOptions(Service.ENRICH))
        .containsExactlyElementsOf(
            concat(
                StackOptions.SMALL_HEAP_START,
                StackOptions.HOT_PATH_ONLY_C2,
                StackOptions.DEFAULT_JVM_OPTIONS,
                List.of("-XX:TieredStopAtLevel=1", "-Xmx512m")));
    assertThat(options.serviceJvmOptions())
        .startsWith(StackOptions.DEFAULT_JVM_OPTIONS.toArray(String[]::new))
        .endsWith("-XX:TieredStopAtLevel=1", "-Xmx512m");
    assertThat(options.workloads()).containsExactly(Workload.W2);
    assertThatThrownBy(() -> BenchOptions.parse(List.of("--java-opt", "w2")))
        .hasMessageContaining("needs a JVM option");
    assertThatThrownBy(() -> BenchOptions.parse(List.of("--java-opt")))
        .hasMessageContaining("needs a value");
  }

  @Test
  void streamsPropertiesBecomeServiceArguments() {
    BenchOptions options =
        BenchOptions.parse(
            List.of(
                "--streams-property",
                "commit.interval.ms=30",
                "--streams-property",
                "cache.max.bytes.buffering=0"));

    assertThat(options.streamsArgs())
        .containsExactly(
            "--spring.kafka.streams.properties.commit.interval.ms=30",
            "--spring.kafka.streams.properties.cache.max.bytes.buffering=0");
    assertThatThrownBy(() -> BenchOptions.parse(List.of("--streams-property", "=30")))
        .hasMessageContaining("KEY=VALUE");
    assertThatThrownBy(() -> BenchOptions.parse(List.of("--streams-property", "a b=1")))
        .hasMessageContaining("KEY=VALUE");
  }

  @Test
  void selectsWorkloadsAndSettings() {
    BenchOptions options =
        BenchOptions.parse(
            List.of(
                "w1",
                "W3",
                "--duration",
                "2m",
                "--rate",
                "5000",
                "--single-rate",
                "100",
                "--no-alos",
                "--fresh",
                "w5",
                "--w5-events",
                "50000",
                "--out",
                "/tmp/x"));
    assertThat(options.workloads())
        .containsExactlyInAnyOrder(Workload.W1, Workload.W3, Workload.W5);
    assertThat(options.w5Events()).isEqualTo(50_000);
    BenchOptions restore =
        BenchOptions.parse(List.of("restore", "--restore-windows", "6000", "w2"));
    assertThat(restore.workloads()).containsExactlyInAnyOrder(Workload.RESTORE, Workload.W2);
    assertThat(restore.restoreWindows()).isEqualTo(6_000);
    assertThat(options.duration()).isEqualTo(Duration.ofMinutes(2));
    assertThat(options.rate()).isEqualTo(5000);
    assertThat(options.singleRate()).isEqualTo(100);
    assertThat(options.alos()).isFalse();
    assertThat(options.fresh()).isTrue();
    assertThat(options.out()).isEqualTo(Path.of("/tmp/x"));
    assertThat(BenchOptions.parseDuration("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(BenchOptions.parseDuration("15")).isEqualTo(Duration.ofSeconds(15));
  }

  @Test
  void refusesWhatItDoesNotKnow() {
    assertThatThrownBy(() -> BenchOptions.parse(List.of("w9")))
        .hasMessageContaining("unknown argument 'w9'");
    assertThatThrownBy(() -> BenchOptions.parse(List.of("--rate", "-1")))
        .hasMessageContaining("--rate must be positive");
    assertThatThrownBy(() -> BenchOptions.parse(List.of("--w5-events", "0")))
        .hasMessageContaining("--w5-events must be positive");
    assertThatThrownBy(() -> BenchOptions.parse(List.of("--duration")))
        .hasMessageContaining("--duration needs a value");
    assertThatThrownBy(() -> BenchOptions.parse(List.of("--duration", "soon")))
        .hasMessageContaining("bad duration");
    assertThatThrownBy(() -> BenchOptions.parse(List.of("--partitions", "0")))
        .hasMessageContaining("--partitions must be a whole number of at least 1, not '0'");
    assertThatThrownBy(() -> BenchOptions.parse(List.of("--partitions", "2.5")))
        .hasMessageContaining("not '2.5'");
  }

  @Test
  void aFixedW3LoadIsOptional() {
    BenchOptions fixed = BenchOptions.parse(List.of("w3", "--w3-rate", "6000"));
    assertThat(fixed.w3Rate()).isEqualTo(6000.0);
    assertThat(fixed.fixedW3Load()).isTrue();
    assertThatThrownBy(() -> BenchOptions.parse(List.of("--w3-rate", "0")))
        .hasMessageContaining("--w3-rate must be positive");
  }

  @Test
  void w3RunsAsLongAsEveryPhaseUnlessToldOtherwise() {
    assertThat(BenchOptions.parse(List.of("w3", "--duration", "30s")).w3Duration())
        .isEqualTo(Duration.ofSeconds(30));
    BenchOptions soak =
        BenchOptions.parse(List.of("w2", "w3", "--w3-duration", "8m", "--duration", "15s"));
    assertThat(soak.w3Duration()).isEqualTo(Duration.ofMinutes(8));
    assertThat(soak.duration()).isEqualTo(Duration.ofSeconds(15));
    assertThatThrownBy(() -> BenchOptions.parse(List.of("--w3-duration", "long")))
        .hasMessageContaining("bad duration 'long'");
  }

  @Test
  void partitionsSetTheTopicsOfTheStacksItStarts() {
    assertThat(BenchOptions.parse(List.of("w3", "--partitions", "2")).partitions()).isEqualTo(2);
    Path data = Path.of("/tmp/bench-data-x");
    assertThat(BenchStack.options(Path.of("/repo"), data, 2, List.of(), List.of()).partitions())
        .isEqualTo(2);
  }

  @SafeVarargs
  private static List<String> concat(List<String>... parts) {
    return java.util.Arrays.stream(parts).flatMap(List::stream).toList();
  }
}
