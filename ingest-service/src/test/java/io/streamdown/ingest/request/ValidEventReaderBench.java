package io.streamdown.ingest.request;

import io.streamdown.schemas.Event;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * How long reading one YSB event takes through {@link ValidEventReader} and through the JSON tree
 * and {@link EventValidator} (the only way before it), side by side in one JVM, in blocks that
 * alternate which goes first. Not a test: run it with the services' JVM options, e.g.
 *
 * <p>{@code java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx256m -cp
 * ingest-service/target/test-classes:ingest-service/target/classes:<its dependencies>
 * io.streamdown.ingest.request.ValidEventReaderBench}
 */
public final class ValidEventReaderBench {

  private static final int EVENTS = 20_000;
  private static final int BLOCKS = 40;
  private static final int WARMUP_BLOCKS = 10;

  private ValidEventReaderBench() {}

  public static void main(String[] args) {
    long now = System.currentTimeMillis();
    List<byte[]> events = ysbEvents(now);
    RequestJson json = new RequestJson(1 << 20);
    ValidEventReader reader = new ValidEventReader(Duration.ofHours(1));
    EventValidator validator = new EventValidator(Duration.ofHours(1));
    List<Double> fast = new ArrayList<>();
    List<Double> tree = new ArrayList<>();
    long sink = 0;
    for (int block = 0; block < BLOCKS; block++) {
      for (int pass = 0; pass < 2; pass++) {
        boolean fastPass = (pass == 0) == (block % 2 == 0);
        long start = System.nanoTime();
        for (byte[] event : events) {
          Event read =
              fastPass
                  ? reader.read(json.strict(), event, 0, event.length, now)
                  : validator.validate(json.strict().readTree(event), now, new ArrayList<>());
          sink += read.type().length();
        }
        double micros = (System.nanoTime() - start) / 1e3 / events.size();
        if (block >= WARMUP_BLOCKS) {
          (fastPass ? fast : tree).add(micros);
        }
      }
    }
    double fastMedian = median(fast);
    double treeMedian = median(tree);
    System.out.printf(
        Locale.ROOT,
        "%,d YSB events, %d blocks each: tokens %.3f µs/event, tree %.3f µs/event (medians),"
            + " tokens / tree %.2f (%d)%n",
        events.size(),
        fast.size(),
        fastMedian,
        treeMedian,
        fastMedian / treeMedian,
        sink);
  }

  /** Events shaped as the benchmark's YSB load posts them. */
  private static List<byte[]> ysbEvents(long now) {
    SplittableRandom random = new SplittableRandom(42);
    String[] types = {"view", "click", "purchase"};
    String[] adTypes = {"banner", "modal", "sponsored-search", "mail", "mobile"};
    List<byte[]> events = new ArrayList<>();
    for (int i = 0; i < EVENTS; i++) {
      String json =
          "{\"eventId\":\""
              + new UUID(random.nextLong(), i)
              + "\",\"source\":\""
              + new UUID(7, random.nextInt(1000))
              + "\",\"type\":\""
              + types[random.nextInt(types.length)]
              + "\",\"time\":"
              + now
              + ",\"attributes\":{\"user_id\":\""
              + new UUID(1, random.nextInt(100))
              + "\",\"page_id\":\""
              + new UUID(2, random.nextInt(100))
              + "\",\"ad_type\":\""
              + adTypes[random.nextInt(adTypes.length)]
              + "\",\"ip_address\":\"10.0.0."
              + random.nextInt(256)
              + "\"}}";
      events.add(json.getBytes(StandardCharsets.UTF_8));
    }
    return events;
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }
}
