package io.streamdown.bench;

import io.streamdown.schemas.GroupKey;
import io.streamdown.schemas.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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

  static Result run(int blocks, int perBlock) {
    List<GroupKey> keys = new ArrayList<>();
    for (String campaign : new Ysb(1L).campaigns()) {
      for (String type : Ysb.EVENT_TYPES) {
        keys.add(GroupKey.of(type, campaign));
      }
    }
    List<String> texts = new ArrayList<>();
    for (GroupKey key : keys) {
      String text = Json.MAPPER.writeValueAsString(key.values());
      if (!text.equals(key.encode()) || !GroupKey.decode(text).equals(key)) {
        throw new IllegalStateException("the two ways disagree on " + text);
      }
      texts.add(text);
    }
    List<Double> mapperEncode = new ArrayList<>();
    List<Double> ownEncode = new ArrayList<>();
    List<Double> mapperDecode = new ArrayList<>();
    List<Double> ownDecode = new ArrayList<>();
    long sink = 0;
    for (int b = 0; b < blocks; b++) {
      boolean mapperFirst = b % 2 == 0;
      long[] ns = new long[4];
      for (int turn = 0; turn < 2; turn++) {
        if ((turn == 0) == mapperFirst) {
          long t0 = System.nanoTime();
          for (int i = 0; i < perBlock; i++) {
            sink += Json.MAPPER.writeValueAsString(keys.get(i % keys.size()).values()).length();
          }
          long t1 = System.nanoTime();
          for (int i = 0; i < perBlock; i++) {
            sink += Json.MAPPER.readValue(texts.get(i % texts.size()), LIST_OF_STRINGS).size();
          }
          ns[0] = t1 - t0;
          ns[2] = System.nanoTime() - t1;
        } else {
          long t0 = System.nanoTime();
          for (int i = 0; i < perBlock; i++) {
            sink += keys.get(i % keys.size()).encode().length();
          }
          long t1 = System.nanoTime();
          for (int i = 0; i < perBlock; i++) {
            sink += GroupKey.decode(texts.get(i % texts.size())).values().size();
          }
          ns[1] = t1 - t0;
          ns[3] = System.nanoTime() - t1;
        }
      }
      if (b >= blocks / 4) {
        mapperEncode.add((double) ns[0] / perBlock);
        ownEncode.add((double) ns[1] / perBlock);
        mapperDecode.add((double) ns[2] / perBlock);
        ownDecode.add((double) ns[3] / perBlock);
      }
    }
    if (sink == 42) {
      System.out.println(); // keeps the loops' results alive
    }
    return new Result(
        DedupeLookupBench.median(mapperEncode),
        DedupeLookupBench.median(ownEncode),
        DedupeLookupBench.median(mapperDecode),
        DedupeLookupBench.median(ownDecode));
  }
}
