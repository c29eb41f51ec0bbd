package io.streamdown.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class PrometheusTextTest {

  private static final String TEXT =
      """
      # HELP streamdown_dlq_records_total records sent to the dead-letter topic
      # TYPE streamdown_dlq_records_total counter
      streamdown_dlq_records_total{error="a.B",stage="enrich",} 3.0
      streamdown_dlq_records_total{error="c.D, with \\"quotes\\"",stage="enrich",} 4.0
      streamdown_aggregate_late_events_total{view="by-type"} 2 1700000000000
      streamdown_aggregate_late_events_total{view="by-source"} 5
      process_uptime_seconds 12.5
      this line { is not a sample
      h_seconds_bucket{view="a",le="1.0"} 30
      h_seconds_bucket{view="b",le="1.0"} 20
      h_seconds_bucket{view="a",le="2.0"} 60
      h_seconds_bucket{view="b",le="2.0"} 40
      h_seconds_bucket{view="a",le="+Inf"} 60
      h_seconds_bucket{view="b",le="+Inf"} 40
      """;

  @Test
  void sumsCountersOverEveryLabelValue() {
    PrometheusText text = PrometheusText.parse(TEXT);
    assertThat(text.sum("streamdown_dlq_records_total")).isEqualTo(7.0);
    assertThat(text.sum("streamdown_aggregate_late_events_total")).isEqualTo(7.0);
    assertThat(text.sum("process_uptime_seconds")).isEqualTo(12.5);
    assertThat(text.sum("absent_total")).isZero();
    assertThat(text.has("absent_total")).isFalse();
  }

  @Test
  void sumsTheSeriesWithOneLabelValue() {
    PrometheusText text = PrometheusText.parse(TEXT);
    assertThat(text.sum("streamdown_aggregate_late_events_total", "view", "by-source"))
        .isEqualTo(5.0);
    assertThat(text.sum("streamdown_dlq_records_total", "stage", "enrich")).isEqualTo(7.0);
    assertThat(text.sum("streamdown_dlq_records_total", "stage", "aggregate")).isZero();
    // A label that only some series carry: the others do not match.
    assertThat(text.sum("h_seconds_bucket", "view", "a")).isEqualTo(150.0);
  }

  @Test
  void aSeriesWithoutAValueLeavesTheOthersSummed() {
    PrometheusText text =
        PrometheusText.parse(
            "kafka_producer_flush_time_ns_total{client_id=\"a\"} NaN\n"
                + "kafka_producer_flush_time_ns_total{client_id=\"b\"} 2.5E7\n");
    assertThat(text.sum("kafka_producer_flush_time_ns_total")).isEqualTo(2.5e7);
    assertThat(text.has("kafka_producer_flush_time_ns_total")).isTrue();
  }

  @Test
  void readsEscapedLabelValuesAndSkipsLinesThatDoNotParse() {
    PrometheusText text = PrometheusText.parse(TEXT);
    assertThat(text.samples())
        .anySatisfy(s -> assertThat(s.labels()).containsEntry("error", "c.D, with \"quotes\""));
    assertThat(text.samples()).noneMatch(s -> s.name().startsWith("this"));
    assertThat(text.samples()).hasSize(11);
  }

  @Test
  void histogramQuantileInterpolatesWithinTheBucketOverAllSeries() {
    PrometheusText text = PrometheusText.parse(TEXT);
    // 100 observations: 50 up to 1 s, 50 between 1 s and 2 s; rank 99 is 49/50 into the second.
    assertThat(text.histogramQuantile("h_seconds", 0.99).orElseThrow())
        .isCloseTo(1.98, within(1e-9));
    assertThat(text.histogramQuantile("h_seconds", 0.25).orElseThrow())
        .isCloseTo(0.5, within(1e-9));
    assertThat(text.histogramQuantile("absent_seconds", 0.99)).isEmpty();
  }

  @Test
  void histogramWithoutObservationsOrAboveTheLastBoundIsHandled() {
    assertThat(PrometheusText.parse("e_bucket{le=\"1.0\"} 0\ne_bucket{le=\"+Inf\"} 0\n")
            .histogramQuantile("e", 0.99))
        .isEmpty();
    assertThat(PrometheusText.parse("e_bucket{le=\"1.0\"} 1\ne_bucket{le=\"+Inf\"} 10\n")
            .histogramQuantile("e", 0.99))
        .hasValue(1.0);
  }
}
