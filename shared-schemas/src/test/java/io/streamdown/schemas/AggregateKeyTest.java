package io.streamdown.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** An aggregate's key is read exactly as the JSON mapper reads it, whichever way is taken. */
class AggregateKeyTest {

  /** Plain characters and every kind the mapper escapes or that could confuse a parser. */
  private static final String[] PIECES = {
    "a", "Z", "0", " ", "/", ",", "[", "]", "{", "}", ":", "\"", "\\", "\n", "\u0000", "é",
    "\ud83d\ude00", "\ud800", "ysb", "\"windowStart\":", ",\"group\":", "\\u0041"
  };

  private static final long[] STARTS = {
    0L, 1L, -1L, 1_740_823_200_000L, Long.MAX_VALUE, Long.MIN_VALUE, 10L, -10_000L
  };

  @Test
  void readsWhatTheMapperWritesAsTheMapperReadsIt() {
    Random random = new Random(20261207L);
    for (int n = 0; n < 20_000; n++) {
      List<String> group = new ArrayList<>();
      int size = random.nextInt(4);
      for (int v = 0; v < size; v++) {
        group.add(text(random));
      }
      long start =
          random.nextBoolean() ? STARTS[random.nextInt(STARTS.length)] : random.nextLong();
      AggregateKey key = new AggregateKey(text(random), group, start);
      String written = Json.MAPPER.writeValueAsString(key);

      assertThat(AggregateKey.decode(written)).as(written).isEqualTo(key);
    }
  }

  @Test
  void theUsualKeyIsReadDirectly() {
    assertThat(
            AggregateKey.decode(
                "{\"view\":\"ysb\",\"group\":[\"view\",\"c-7\"],\"windowStart\":1740823200000}"))
        .isEqualTo(new AggregateKey("ysb", List.of("view", "c-7"), 1_740_823_200_000L));
  }

  @Test
  void readsAnyOtherTextAsTheMapperDoes() {
    List<String> texts =
        List.of(
            "{\"group\":[\"a\"],\"view\":\"v\",\"windowStart\":5}",
            "{ \"view\" : \"v\" , \"group\" : [ \"a\" ] , \"windowStart\" : 5 }",
            "{\"view\":\"v\",\"group\":[\"a\"],\"windowStart\":05}",
            "{\"view\":\"v\",\"group\":[\"a\"],\"windowStart\":-0}",
            "{\"view\":\"v\",\"group\":[\"a\"],\"windowStart\":5.0}",
            "{\"view\":\"v\",\"group\":[\"a\"],\"windowStart\":99999999999999999999}",
            "{\"view\":\"v\",\"group\":[\"a\"],\"windowStart\":-}",
            "{\"view\":\"v\",\"group\":[\"a\"],\"windowStart\":}",
            "{\"view\":\"v\",\"group\":[\"a\"],\"windowStart\":\"5\"}",
            "{\"view\":\"v\",\"group\":[\"a\",],\"windowStart\":5}",
            "{\"view\":\"v\",\"group\":[\"a\"],\"windowStart\":5,\"extra\":1}",
            "{\"view\":\"v\",\"group\":[\"a\"]}",
            "{\"view\":\"v\",\"group\":[\"a\"],\"windowStart\":5}}",
            "{\"view\":\"v\\\"\",\"group\":[\"a\"],\"windowStart\":5}",
            "{\"view\":\"v\",\"group\":[\"a\\u0041\"],\"windowStart\":5}",
            "{\"view\":\"v\",\"group\":[],\"windowStart\":5}",
            "{\"view\":\"\",\"group\":[\"a\"],\"windowStart\":5}",
            "{\"view\":\"v\",\"group\":[\"a\"],\"windowStart\":5 }",
            "{\"view\":\"v\",\"group\":\"a\",\"windowStart\":5}");
    for (String text : texts) {
      Object expected;
      try {
        expected = Json.MAPPER.readValue(text, AggregateKey.class);
      } catch (RuntimeException e) {
        expected = e.getClass();
      }
      Object actual;
      try {
        actual = AggregateKey.decode(text);
      } catch (RuntimeException e) {
        actual = e.getClass();
      }
      assertThat(actual).as(text).isEqualTo(expected);
    }
  }

  private static String text(Random random) {
    StringBuilder text = new StringBuilder();
    int pieces = random.nextInt(5);
    for (int p = 0; p < pieces; p++) {
      text.append(PIECES[random.nextInt(PIECES.length)]);
    }
    return text.toString();
  }
}
