package io.streamdown.aggregate.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class RegroupOriginTest {

  private static Headers regroupedFrom(String value) {
    Headers headers = new RecordHeaders();
    headers.add(RegroupOrigin.HEADER, value.getBytes(StandardCharsets.UTF_8));
    return headers;
  }

  @Test
  void everyPathIsAnOriginOfItsOwn() {
    Set<Long> origins = new HashSet<>();
    for (int raw = -1; raw < 40; raw++) {
      origins.add(RegroupOrigin.originOf(raw, new RecordHeaders()));
      for (int enriched = 0; enriched < 40; enriched++) {
        origins.add(RegroupOrigin.originOf(raw, regroupedFrom(Integer.toString(enriched))));
      }
    }
    assertThat(origins).hasSize(41 * 41);
  }

  @Test
  void aMissingOrUnreadableHeaderMeansNotRegrouped() {
    assertThat(RegroupOrigin.regroupedFrom(new RecordHeaders())).isEqualTo(-1);
    assertThat(RegroupOrigin.regroupedFrom(regroupedFrom("x"))).isEqualTo(-1);
    assertThat(RegroupOrigin.regroupedFrom(regroupedFrom("7"))).isEqualTo(7);
    assertThat(RegroupOrigin.originOf(3, regroupedFrom("x")))
        .isEqualTo(RegroupOrigin.originOf(3, new RecordHeaders()));
  }
}
