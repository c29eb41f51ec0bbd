package io.streamdown.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tools.jackson.core.type.TypeReference;

/** The canonical form of group keys is exactly the JSON mapper's, whichever way it is written. */
class GroupKeyTest {

  private static final TypeReference<List<String>> LIST_OF_STRINGS = new TypeReference<>() {};

  /** Plain characters and every kind the mapper escapes or that could confuse a parser. */
  private static final String[] PIECES = {
    "a", "Z", "0", " ", "/", ",", "[", "]", ":", "\"", "\\", "\n", "\t", "\u0000", "\u001f",
    "\u007f", "é", "\u2028", "\ud83d\ude00", "\ud800", "\udc00", "campaign-7", "\\u0041"
  };

  @Test
  void encodesExactlyAsTheMapperAndDecodesBack() {
    Random random = new Random(20261206L);
    for (int n = 0; n < 20_000; n++) {
      List<String> values = new ArrayList<>();
      int size = random.nextInt(5);
      for (int v = 0; v < size; v++) {
        StringBuilder value = new StringBuilder();
        int pieces = random.nextInt(6);
        for (int p = 0; p < pieces; p++) {
          value.append(PIECES[random.nextInt(PIECES.length)]);
        }
        values.add(value.toString());
      }
      GroupKey key = new GroupKey(values);
      String expected = Json.MAPPER.writeValueAsString(values);

      assertThat(key.encode()).as("%s", values).isEqualTo(expected);
      assertThat(GroupKey.decode(expected).values())
          .as(expected)
          .isEqualTo(Json.MAPPER.readValue(expected, LIST_OF_STRINGS));
    }
  }

  @Test
  void theUsualKeyIsACompactArrayOfQuotedValues() {
    assertThat(GroupKey.of("purchase", "c-0001/é").encode()).isEqualTo("[\"purchase\",\"c-0001/é\"]");
    assertThat(GroupKey.of().encode()).isEqualTo("[]");
    assertThat(GroupKey.decode("[\"purchase\",\"\"]").values()).containsExactly("purchase", "");
  }

  @Test
  void readsAnyOtherTextAsTheMapperDoes() {
    List<String> accepted =
        List.of(
            "[]",
            "[ ]",
            "[ \"a\" , \"b\" ]",
            "[\"a\\u0041\"]",
            "[\"\\/\"]",
            "[\"a\",\"b\\\"c\"]",
            "[1]",
            "[\"a\"]  ");
    for (String text : accepted) {
      assertThat(GroupKey.decode(text).values())
          .as(text)
          .isEqualTo(Json.MAPPER.readValue(text, LIST_OF_STRINGS));
    }
    List<String> rejected =
        List.of(
            "",
            "[",
            "]",
            "[\"]",
            "[\"a\"",
            "[\"a\",]",
            "[,\"a\"]",
            "[\"a\" \"b\"]",
            "[\"a\u0001b\"]",
            "{\"a\":\"b\"}",
            "[\"a\"][\"b\"]");
    for (String text : rejected) {
      Class<? extends Throwable> mapper = thrownBy(text);
      assertThat(mapper).as("the mapper rejects %s", text).isNotNull();
      assertThatThrownBy(() -> GroupKey.decode(text)).as(text).isInstanceOf(mapper);
    }
  }

  private static Class<? extends Throwable> thrownBy(String text) {
    try {
      Json.MAPPER.readValue(text, LIST_OF_STRINGS);
      return null;
    } catch (RuntimeException e) {
      return e.getClass();
    }
  }
}
