package io.streamdown.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamdown.schemas.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

class ReportTest {

  @TempDir Path dir;

  @Test
  void writesEveryKeyWithNullForWhatDidNotRun() throws Exception {
    Report report = new Report();
    report.put("w0_produce_rps", 1234.567);
    report.put("w1_batch_ratio", Double.NaN);
    report.put("ysb_correct", true);
    report.put("w2_eos_ratio", 1224.5 / 86805.56);
    report.context("machine", "test");
    report.row(
        new Report.Row("W0 raw", "producer rec/s", "1,234.6", "baseline", "1 ms", "2 ms", "cmd"));
    Histogram micros = new Histogram(3);
    micros.recordValue(1500);
    micros.recordValue(25_000);
    report.latency("w1", micros);
    report.throughput("w1", new long[] {10, 20, 15});

    Path markdown = report.write(dir, "2026-01-01T0000Z");

    JsonNode latest = Json.MAPPER.readTree(Files.readString(dir.resolve("latest.json")));
    for (String key : Report.KEYS) {
      assertThat(latest.has(key)).as(key).isTrue();
    }
    assertThat(latest.get("w0_produce_rps").asDouble()).isEqualTo(1234.57);
    assertThat(latest.get("w1_batch_ratio").isNull()).isTrue();
    assertThat(latest.get("w2_eos_ratio").asDouble()).isEqualTo(0.01411);
    assertThat(latest.get("w5_flink_rps").isNull()).isTrue();
    assertThat(latest.get("ysb_correct").asBoolean()).isTrue();
    assertThat(Files.readString(dir.resolve("2026-01-01T0000Z.json")))
        .isEqualTo(Files.readString(dir.resolve("latest.json")));
    String md = Files.readString(markdown);
    assertThat(md).contains("| W0 raw | producer rec/s | 1,234.6 |").contains("| machine | test |");
    assertThat(md)
        .contains("2026-01-01T0000Z-throughput.png")
        .contains("2026-01-01T0000Z-latency.png");
    byte[] png = Files.readAllBytes(dir.resolve("2026-01-01T0000Z-latency.png"));
    assertThat(png).startsWith(0x89, 'P', 'N', 'G');
  }

  @Test
  void writesAnAttachmentBesideTheReportAndLinksIt() throws Exception {
    Report report = new Report();
    report.attach("w3-markers.csv", "marker,query_ms\nmarker-0,212\n");

    Path markdown = report.write(dir, "2026-01-01T0000Z");

    assertThat(Files.readString(dir.resolve("2026-01-01T0000Z-w3-markers.csv")))
        .isEqualTo("marker,query_ms\nmarker-0,212\n");
    assertThat(Files.readString(markdown))
        .contains("[2026-01-01T0000Z-w3-markers.csv](2026-01-01T0000Z-w3-markers.csv)");
  }

  @Test
  void takesTheCpuBreakdownOfBothGuarantees() {
    Report report = new Report();
    for (String guarantee : List.of("w2_eos", "w2_alos")) {
      for (String part :
          List.of("cpu_us_per_event", "cpu_ceiling_rps", "jit_us_per_event", "gc_us_per_event")) {
        report.put(guarantee + "_" + part, 1.0);
        assertThat(report.get(guarantee + "_" + part)).isEqualTo(1.0);
      }
    }
  }

  @Test
  void refusesUnknownKeys() {
    assertThatThrownBy(() -> new Report().put("w9_rps", 1.0)).hasMessageContaining("w9_rps");
  }
}
