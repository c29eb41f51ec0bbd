package io.streamdown.bench.flink;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;

/**
 * The whole pipeline on a local MiniCluster (parallelism 2) over small in-memory bounded input: its
 * cells equal a count made here by plain iteration.
 */
class YsbPipelineTest {

  private static final List<String> TYPES = List.of("view", "click", "purchase");

  @Test
  void countsEveryEventPerWindowTypeAndCampaign() throws Exception {
    Map<String, String> campaignOfAd = new TreeMap<>();
    List<AdCampaign> references = new ArrayList<>();
    for (int ad = 0; ad < 12; ad++) {
      String campaign = "campaign-" + (ad % 4);
      campaignOfAd.put("ad-" + ad, campaign);
      references.add(new AdCampaign("ad-" + ad, campaign));
    }
    references.add(new AdCampaign("ad-no-campaign", null));

    // 3,000 events over 65 s of event time, in time order up to 5 s of disorder, plus events of
    // an ad without a campaign and of an ad without reference data, which must not count.
    Random random = new Random(7);
    long base = 1_700_000_000_000L;
    List<AdEvent> events = new ArrayList<>();
    for (int i = 0; i < 3_000; i++) {
      long time = base + i * 65_000L / 3_000 - random.nextInt(5_000);
      String ad =
          switch (i % 50) {
            case 0 -> "ad-no-campaign";
            case 1 -> "ad-unknown";
            default -> "ad-" + random.nextInt(12);
          };
      events.add(new AdEvent(ad, TYPES.get(random.nextInt(TYPES.size())), time));
    }

    List<WindowCount> expected = offline(events, campaignOfAd);

    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.createLocalEnvironment(2, new Configuration());
    DataStream<AdEvent> eventStream =
        env.fromData(events, TypeInformation.of(AdEvent.class))
            .assignTimestampsAndWatermarks(YsbPipeline.eventWatermarks());
    DataStream<AdCampaign> referenceStream =
        env.fromData(references, TypeInformation.of(AdCampaign.class));
    List<WindowCount> actual = new ArrayList<>();
    JobExecutionResult done;
    try (CloseableIterator<WindowCount> results =
        YsbPipeline.counts(eventStream, referenceStream).collectAsync()) {
      JobClient job = env.executeAsync("ysb-test");
      results.forEachRemaining(actual::add);
      done = job.getJobExecutionResult().get();
    }

    actual.sort(ORDER);
    assertThat(expected).hasSizeGreaterThan(4 * 3 * 4); // several windows, every type and campaign
    assertThat(actual).containsExactlyElementsOf(expected);
    assertThat(actual.stream().mapToLong(c -> c.count).sum())
        .isEqualTo(events.stream().filter(e -> campaignOfAd.containsKey(e.adId)).count());
    // The accumulators account for every event and reference: the two ads' events were dropped
    // for want of a campaign, none as late.
    assertThat((Long) done.getAccumulatorResult(YsbPipeline.EVENTS)).isEqualTo(events.size());
    assertThat((Long) done.getAccumulatorResult(YsbPipeline.REFERENCES))
        .isEqualTo(references.size());
    assertThat((Long) done.getAccumulatorResult(YsbPipeline.UNJOINED))
        .isEqualTo(events.stream().filter(e -> !campaignOfAd.containsKey(e.adId)).count())
        .isPositive();
    Long late = done.getAccumulatorResult(YsbPipeline.LATE);
    assertThat(late == null ? 0L : late).isZero();
  }

  private static final Comparator<WindowCount> ORDER =
      Comparator.<WindowCount>comparingLong(c -> c.windowStart)
          .thenComparing(c -> c.eventType)
          .thenComparing(c -> c.campaignId);

  private static List<WindowCount> offline(List<AdEvent> events, Map<String, String> campaigns) {
    Map<List<Object>, Long> counts = new TreeMap<>(Comparator.comparing(Object::toString));
    for (AdEvent e : events) {
      String campaign = campaigns.get(e.adId);
      if (campaign != null) {
        long window = e.eventTime - Math.floorMod(e.eventTime, 10_000L);
        counts.merge(List.of(window, e.eventType, campaign), 1L, Long::sum);
      }
    }
    List<WindowCount> cells = new ArrayList<>();
    counts.forEach(
        (k, n) ->
            cells.add(new WindowCount((Long) k.get(0), (String) k.get(1), (String) k.get(2), n)));
    cells.sort(ORDER);
    return Collections.unmodifiableList(cells);
  }
}
