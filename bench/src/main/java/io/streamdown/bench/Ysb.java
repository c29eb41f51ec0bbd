package io.streamdown.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * The Yahoo Streaming Benchmark event stream mapped onto Streamdown events.
 *
 * <p>100 campaigns of 10 ads each; pools of 100 user and 100 page UUIDs; events with a uniform ad
 * (of the 1000), ad type and event type. The mapping: {@code source} = {@code ad_id} (so the
 * reference data of a source is its ad's campaign, {@code {"campaign_id": ...}}), {@code type} =
 * {@code event_type}, {@code time} = {@code event_time}, and {@code user_id}, {@code page_id},
 * {@code ad_type}, {@code ip_address} as attributes. The YSB view groups by {@code type} and {@code
 * reference.campaign_id} in tumbling 10 s windows ({@link #viewArgs()}).
 *
 * <p>Everything derives from one seed, so a run can be repeated exactly; ids are UUID-shaped like
 * YSB's own.
 */
public final class Ysb {

  public static final int CAMPAIGNS = 100;
  public static final int ADS_PER_CAMPAIGN = 10;
  public static final int POOL = 100;
  public static final long WINDOW_MILLIS = 10_000L;
  public static final String VIEW = "ysb";
  public static final List<String> AD_TYPES =
      List.of("banner", "modal", "sponsored-search", "mail", "mobile");
  public static final List<String> EVENT_TYPES = List.of("view", "click", "purchase");

  private final List<String> campaigns = new ArrayList<>();
  private final List<String> ads = new ArrayList<>();
  private final List<String> users = new ArrayList<>();
  private final List<String> pages = new ArrayList<>();
  private final SplittableRandom random;

  public Ysb(long seed) {
    SplittableRandom ids = new SplittableRandom(seed);
    for (int c = 0; c < CAMPAIGNS; c++) {
      campaigns.add(uuid(ids));
    }
    for (int a = 0; a < CAMPAIGNS * ADS_PER_CAMPAIGN; a++) {
      ads.add(uuid(ids));
    }
    for (int i = 0; i < POOL; i++) {
      users.add(uuid(ids));
      pages.add(uuid(ids));
    }
    this.random = ids.split();
  }

  /** One generated event; {@link #json()} is what is posted. */
  public record YsbEvent(
      String eventId,
      String adId,
      String campaignId,
      String eventType,
      long eventTime,
      String userId,
      String pageId,
      String adType,
      String ipAddress) {

    /** The Streamdown event (every value is plain ASCII without quotes, so no escaping). */
    public String json() {
      return new StringBuilder(360)
          .append("{\"eventId\":\"")
          .append(eventId)
          .append("\",\"source\":\"")
          .append(adId)
          .append("\",\"type\":\"")
          .append(eventType)
          .append("\",\"time\":")
          .append(eventTime)
          .append(",\"attributes\":{\"user_id\":\"")
          .append(userId)
          .append("\",\"page_id\":\"")
          .append(pageId)
          .append("\",\"ad_type\":\"")
          .append(adType)
          .append("\",\"ip_address\":\"")
          .append(ipAddress)
          .append("\"}}")
          .toString();
    }

    /** The start of the event's 10 s window. */
    public long windowStart() {
      return eventTime - Math.floorMod(eventTime, WINDOW_MILLIS);
    }
  }

  /** The next event, stamped with {@code eventTime}. Not thread-safe. */
  public YsbEvent next(long eventTime) {
    int ad = random.nextInt(ads.size());
    return new YsbEvent(
        uuid(random),
        ads.get(ad),
        campaignOfAd(ad),
        EVENT_TYPES.get(random.nextInt(EVENT_TYPES.size())),
        eventTime,
        users.get(random.nextInt(POOL)),
        pages.get(random.nextInt(POOL)),
        AD_TYPES.get(random.nextInt(AD_TYPES.size())),
        "10." + random.nextInt(256) + "." + random.nextInt(256) + "." + random.nextInt(256));
  }

  public List<String> campaigns() {
    return List.copyOf(campaigns);
  }

  public List<String> ads() {
    return List.copyOf(ads);
  }

  /** Ad {@code index} belongs to campaign {@code index / ADS_PER_CAMPAIGN}. */
  public String campaignOfAd(int index) {
    return campaigns.get(index / ADS_PER_CAMPAIGN);
  }

  /** The reference data: ad id to its {@code {"campaign_id": ...}} body. */
  public Map<String, String> referenceBodies() {
    Map<String, String> bodies = new java.util.LinkedHashMap<>();
    for (int i = 0; i < ads.size(); i++) {
      bodies.put(ads.get(i), "{\"campaign_id\":\"" + campaignOfAd(i) + "\"}");
    }
    return bodies;
  }

  /**
   * Application arguments that make {@code ysb} the one view of enrich-, aggregate- and
   * query-service (a list property given on the command line replaces the whole default list);
   * enrich keys {@code events.enriched} by its groups.
   */
  public static List<String> viewArgs() {
    String v = "--streamdown.views[0].";
    return List.of(
        v + "name=" + VIEW,
        v + "group-by[0]=type",
        v + "group-by[1]=reference.campaign_id",
        v + "window.type=tumbling",
        v + "window.size=10s",
        v + "grace=30s",
        v + "emit=updates",
        v + "retention=6h");
  }

  private static String uuid(SplittableRandom random) {
    return new UUID(random.nextLong(), random.nextLong()).toString();
  }
}
