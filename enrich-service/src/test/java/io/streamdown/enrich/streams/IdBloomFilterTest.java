package io.streamdown.enrich.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class IdBloomFilterTest {

  private static final int CAPACITY = 100_000;

  @Test
  void everyAddedKeyIsFoundAndFewOthersAreAtCapacity() {
    IdBloomFilter filter = new IdBloomFilter(CAPACITY);
    SplittableRandom random = new SplittableRandom(7);
    String[] added = new String[CAPACITY];
    for (int i = 0; i < CAPACITY; i++) {
      added[i] = key(random, i);
      filter.add(IdBloomFilter.hash(added[i]));
    }
    assertThat(filter.isFull()).isTrue();
    for (String key : added) {
      assertThat(filter.mightContain(IdBloomFilter.hash(key))).as(key).isTrue();
    }
    int falsePositives = 0;
    int probes = 200_000;
    for (int i = 0; i < probes; i++) {
      if (filter.mightContain(IdBloomFilter.hash(key(random, CAPACITY + i)))) {
        falsePositives++;
      }
    }
    // A blocked filter of 10 bits and 7 probes per key: about 1.5 %; a weak hash or correlated
    // probes show as several times that.
    assertThat(falsePositives / (double) probes).isBetween(0.002, 0.02);
  }

  @Test
  void keysThatDifferInOneCharHashApart() {
    String key = "[\"ad-17\",\"0d9f3c2e-6b1a-4c8e-9f00-000000000001\"]";
    String other = "[\"ad-17\",\"0d9f3c2e-6b1a-4c8e-9f00-000000000002\"]";
    long difference = IdBloomFilter.hash(key) ^ IdBloomFilter.hash(other);
    assertThat(Long.bitCount(difference)).isBetween(16, 48);
  }

  @Test
  void sizeFollowsTheCapacity() {
    assertThat(IdBloomFilter.bytesFor(CAPACITY)).isEqualTo(new IdBloomFilter(CAPACITY).bytes());
    // 10 bits per key, in whole blocks of 64 bytes.
    assertThat(IdBloomFilter.bytesFor(CAPACITY)).isBetween(CAPACITY * 10L / 8, CAPACITY * 10L / 8 + 64);
    assertThat(IdBloomFilter.bytesFor(1)).isEqualTo(64);
    assertThatThrownBy(() -> new IdBloomFilter(0)).isInstanceOf(IllegalArgumentException.class);
  }

  private static String key(SplittableRandom random, long n) {
    return "[\"ad-" + random.nextInt(1000) + "\",\"" + new UUID(random.nextLong(), n) + "\"]";
  }
}
