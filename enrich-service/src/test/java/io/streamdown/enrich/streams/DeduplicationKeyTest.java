package io.streamdown.enrich.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamdown.schemas.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The de-duplication key must stay byte-identical to the JSON mapper's array of the two strings:
 * stores written before it was built by hand are read with it.
 */
class DeduplicationKeyTest {

  private static String mapper(String source, String eventId) {
    return Json.MAPPER.writeValueAsString(List.of(source, eventId));
  }

  @Test
  void everyCharacterBelowTwoHundredAndFiftySixIsKeyedAsTheMapperWritesIt() {
    for (char c = 0; c < 256; c++) {
      String id = "id-" + c + "-end";
      String as = "char " + (int) c;
      assertThat(Deduplication.key("dev-1", id)).as(as).isEqualTo(mapper("dev-1", id));
      assertThat(Deduplication.key(id, "e-1")).as(as).isEqualTo(mapper(id, "e-1"));
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "a/b",
        "quote\"d",
        "back\\slash",
        "tab\tnew\nline",
        "\u2028\u2029",
        "caf\u00e9",
        "\ud83d\ude00",
        "\ud800",
        "550e8400-e29b-41d4-a716-446655440000",
        "raw-events/3/12345"
      })
  void specialAndOrdinaryIdsAreKeyedAsTheMapperWritesThem(String id) {
    assertThat(Deduplication.key("src", id)).isEqualTo(mapper("src", id));
    assertThat(Deduplication.key(id, id)).isEqualTo(mapper(id, id));
  }

  @Test
  void randomStringsAreKeyedAsTheMapperWritesThem() {
    Random random = new Random(20261205L);
    List<String> mismatches = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      String source = randomString(random);
      String id = randomString(random);
      if (!Deduplication.key(source, id).equals(mapper(source, id))) {
        mismatches.add(source + " / " + id);
      }
    }
    assertThat(mismatches).isEmpty();
  }

  @Test
  void sourceAndIdStayApartWhateverTheyHold() {
    assertThat(Deduplication.key("a\",\"b", "c")).isNotEqualTo(Deduplication.key("a", "b\",\"c"));
    assertThat(Deduplication.key("a", "b")).isEqualTo("[\"a\",\"b\"]");
  }

  /** Mostly printable ASCII, sometimes any char, so that both paths are taken. */
  private static String randomString(Random random) {
    int length = random.nextInt(12);
    StringBuilder s = new StringBuilder(length);
    boolean anyChar = random.nextInt(4) == 0;
    for (int i = 0; i < length; i++) {
      s.append(anyChar ? (char) random.nextInt(0x3000) : (char) (0x20 + random.nextInt(0x5f)));
    }
    return s.toString();
  }
}
