package io.streamdown.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamdown.schemas.Event;
import io.streamdown.schemas.Json;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class YsbTest {

  @Test
  void hasAHundredCampaignsOfTenAdsEach() {
    Ysb ysb = new Ysb(1);
    assertThat(ysb.campaigns()).hasSize(100).doesNotHaveDuplicates();
    assertThat(ysb.ads()).hasSize(1000).doesNotHaveDuplicates();
    Map<String, String> references = ysb.referenceBodies();
    assertThat(references).hasSize(1000);
    for (int c = 0; c < Ysb.CAMPAIGNS; c++) {
      String campaign = ysb.campaigns().get(c);
      long ads = references.values().stream().filter(b -> b.contains(campaign)).count();
      assertThat(ads).as("ads of campaign %d", c).isEqualTo(10);
    }
  }

  @Test
  void eventsAreValidStreamdownEventsWithTheYsbFields() {
    Ysb ysb = new Ysb(7);
    long time = 1_700_000_003_456L;
    Ysb.YsbEvent event = ysb.next(time);
    Event parsed = Json.read(event.json().getBytes(StandardCharsets.UTF_8), Event.class);
    assertThat(parsed.source()).isEqualTo(event.adId());
    assertThat(parsed.type()).isIn(Ysb.EVENT_TYPES);
    assertThat(parsed.time()).isEqualTo(time);
    assertThat(parsed.attributes())
        .containsOnlyKeys("user_id", "page_id", "ad_type", "ip_address")
        .containsEntry("ad_type", event.adType());
    assertThat(event.windowStart()).isEqualTo(time - time % Ysb.WINDOW_MILLIS);
    assertThat(ysb.referenceBodies().get(event.adId())).contains(event.campaignId());
  }

  @Test
  void drawsFromThePoolsAndCoversEveryType() {
    Ysb ysb = new Ysb(3);
    Set<String> users = new HashSet<>();
    Set<String> types = new HashSet<>();
    Set<String> adTypes = new HashSet<>();
    Set<String> ads = new HashSet<>();
    for (int i = 0; i < 20_000; i++) {
      Ysb.YsbEvent event = ysb.next(i);
      users.add(event.userId());
      types.add(event.eventType());
      adTypes.add(event.adType());
      ads.add(event.adId());
    }
    assertThat(users).hasSize(Ysb.POOL);
    assertThat(types).containsExactlyInAnyOrderElementsOf(Ysb.EVENT_TYPES);
    assertThat(adTypes).containsExactlyInAnyOrderElementsOf(Ysb.AD_TYPES);
    assertThat(ads).hasSize(1000);
  }

  @Test
  void theSameSeedGivesTheSameStream() {
    List<String> a = List.of(new Ysb(5).next(1).json(), new Ysb(5).next(1).json());
    assertThat(a.get(0)).isEqualTo(a.get(1));
    assertThat(new Ysb(6).next(1).json()).isNotEqualTo(a.get(0));
  }

  @Test
  void offlineCountsGroupByWindowTypeAndCampaign() {
    Ysb ysb = new Ysb(9);
    YsbCounts counts = new YsbCounts();
    Ysb.YsbEvent first = ysb.next(10_000);
    counts.add(first);
    counts.add(first);
    counts.add(ysb.next(25_000));
    assertThat(counts.total()).isEqualTo(3);
    assertThat(counts.snapshot())
        .containsEntry(new YsbCounts.Cell(10_000, first.eventType(), first.campaignId()), 2L);
    assertThat(counts.snapshot().keySet())
        .extracting(YsbCounts.Cell::windowStart)
        .contains(20_000L);
  }

  @Test
  void theViewArgumentsNameTheYsbView() {
    assertThat(Ysb.viewArgs())
        .contains(
            "--streamdown.views[0].name=ysb",
            "--streamdown.views[0].group-by[1]=reference.campaign_id",
            "--streamdown.views[0].window.size=10s");
  }
}
