package io.streamdown.bench;

import io.streamdown.schemas.GroupKey;
import io.streamdown.schemas.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import tools.jackson.core.type.TypeReference;

/**
 * The group key's canonical form written and read two ways side by side, over the YSB view's 300
 * keys (event type, campaign): through the JSON mapper, as {@link GroupKey} always did, and
 * through {@link GroupKey#encode()} and {@link GroupKey#decode}, which write and read plain keys
 * themselves. Aggregate encodes one key per event and view and decodes one per emitted aggregate;
 * query encodes one per stored aggregate and per point query. Blocks alternate which way goes
 * first; the first quarter of the blocks is warm-up. The run fails if the two ways disagree on a
 * single key.
 *
 * <pre>{@code
 * java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx256m \
 *   -cp "bench/target/bench-0.1.0-SNAPSHOT.jar:bench/target/lib/*" \
 *   io.streamdown.bench.GroupKeyCodecBench [blocks] [keys per block]
 * }</pre>
 */
public final class GroupKeyCodecBench {

  private static final TypeReference<List<String>> LIST_OF_STRINGS = new TypeReference<>() {};

  private GroupKeyCodecBench() {}

  /** Nanoseconds per key, medians of the measured blocks. */
  record Result(double mapperEncode, double ownEncode, double mapperDecode, double ownDecode) {}

  public static void main(String[] args) {
    int blocks = args.length > 0 ? Integer.parseInt(args[0]) : 40;
    int perBlock = args.length > 1 ? Integer.parseInt(args[1]) : 300_000;
    Result result = run(blocks, perBlock);
    System.out.printf(
        Locale.ROOT,
        "encode: mapper %.1f ns, GroupKey %.1f ns per key (%.2f); decode: mapper %.1f ns,"
            + " GroupKey %.1f ns (%.2f); medians of %d blocks of %,d keys%n",
        result.mapperEncode(),
        result.ownEncode(),
        result.ownEncode() / result.mapperEncode(),
        result.mapperDecode(),
        result.ownDecode(),
        result.ownDecode() / result.mapperDecode(),
        blocks - blocks / 4,
        perBlock);
  }

  /** One way to write and read a key's canonical form. */
  private record Way(Function<GroupKey, String> write, Function<String, List<String>> read) {}

  /** How {@link GroupKey} always did it. */
  private static final Way MAPPER =
      new Way(
          key -> Json.MAPPER.writeValueAsString(key.values()),
          text -> Json.MAPPER.readValue(text, LIST_OF_STRINGS));

  /** How it does it now. */
  private static final Way OWN = new Way(GroupKey::encode, text -> GroupKey.decode(text).values());

  static Result run(int blocks, int perBlock) {
    List<GroupKey> keys = new ArrayList<>();
    for (String campaign : new Ysb(1L).campaigns()) {
      for (String type : Ysb.EVENT_TYPES) {
        keys.add(GroupKey.of(type, campaign));
      }
    }
    List<String> texts = new ArrayList<>();
    for (GroupKey key : keys) {
      String text = MAPPER.write().apply(key);
      if (!text.equals(OWN.write().apply(key))
          || !OWN.read().apply(text).equals(MAPPER.read().apply(text))) {
        throw new IllegalStateException("the two ways disagree on " + text);
      }
      texts.add(text);
    }
    List<Double> mapperWrite = new ArrayList<>();
    List<Double> ownWrite = new ArrayList<>();
    List<Double> mapperRead = new ArrayList<>();
    List<Double> ownRead = new ArrayList<>();
    long[] sink = new long[1];
    for (int b = 0; b < blocks; b++) {
      // Alternate which way goes first, so neither always runs on a warmer machine.
      Way first = b % 2 == 0 ? MAPPER : OWN;
      double[] firstNanos = time(first, keys, texts, perBlock, sink);
      double[] secondNanos = time(first == MAPPER ? OWN : MAPPER, keys, texts, perBlock, sink);
      if (b >= blocks / 4) {
        double[] mapper = first == MAPPER ? firstNanos : secondNanos;
        double[] own = first == MAPPER ? secondNanos : firstNanos;
        mapperWrite.add(mapper[0]);
        mapperRead.add(mapper[1]);
        ownWrite.add(own[0]);
        ownRead.add(own[1]);
      }
    }
    if (sink[0] == 42) {
      System.out.println(); // keeps the loops' results alive
    }
    return new Result(
        DedupeLookupBench.median(mapperWrite),
        DedupeLookupBench.median(ownWrite),
        DedupeLookupBench.median(mapperRead),
        DedupeLookupBench.median(ownRead));
  }

  /** Nanoseconds per key to write {@code perBlock} keys, then to read as many texts. */
  private static double[] time(
      Way way, List<GroupKey> keys, List<String> texts, int perBlock, long[] sink) {
    long t0 = System.nanoTime();
    for (int i = 0; i < perBlock; i++) {
      sink[0] += way.write().apply(keys.get(i % keys.size())).length();
    }
    long t1 = System.nanoTime();
    for (int i = 0; i < perBlock; i++) {
      sink[0] += way.read().apply(texts.get(i % texts.size())).size();
    }
    long t2 = System.nanoTime();
    return new double[] {(double) (t1 - t0) / perBlock, (double) (t2 - t1) / perBlock};
  }
}
