package io.streamdown.query.streams;

import io.streamdown.schemas.Topic;
import io.streamdown.schemas.ViewDefinition;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;

/**
 * Names, once query has started, the views whose windows outlive {@code aggregates}: the view
 * stores are restored from that topic, so a window older than its retention does not come back
 * when a task's state is rebuilt.
 *
 * <p>The retention is the broker's ({@code describeConfigs}): an operator may have changed it
 * since the topic was created. Where the broker cannot be asked (unreachable, or no
 * DESCRIBE_CONFIGS on the topic), the retention Streamdown creates the topic with stands in, and
 * the warning says so. The check runs off the start-up path, on a thread of its own.
 */
public final class AggregatesRetentionCheck implements ApplicationListener<ApplicationReadyEvent> {

  private static final Logger log = LoggerFactory.getLogger(AggregatesRetentionCheck.class);
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final List<ViewDefinition> views;
  private final Topic<?, ?> aggregates;
  private final Map<String, Object> adminConfig;
  private final Duration timeout;

  /**
   * @param adminConfig the configuration of an admin client on the cluster, or empty to check
   *     against the retention the topic is created with only
   */
  public AggregatesRetentionCheck(
      List<ViewDefinition> views, Topic<?, ?> aggregates, Map<String, Object> adminConfig) {
    this(views, aggregates, adminConfig, TIMEOUT);
  }

  AggregatesRetentionCheck(
      List<ViewDefinition> views,
      Topic<?, ?> aggregates,
      Map<String, Object> adminConfig,
      Duration timeout) {
    this.views = List.copyOf(views);
    this.aggregates = aggregates;
    this.adminConfig = Map.copyOf(adminConfig);
    this.timeout = timeout;
  }

  @Override
  public void onApplicationEvent(ApplicationReadyEvent event) {
    Thread thread = new Thread(this::check, "aggregates-retention-check");
    thread.setDaemon(true);
    thread.start();
  }

  /** Reads the retention, warns of every view that outlives it and returns those views. */
  List<ViewDefinition> check() {
    Optional<Duration> retention;
    String source;
    try {
      retention = brokerRetention();
      source = "on the broker";
    } catch (Exception e) {
      log.warn(
          "Could not read the retention of {} from the broker ({}); checking the views against"
              + " the retention it is created with",
          aggregates.name(),
          e.getMessage());
      retention = aggregates.retention();
      source = "as created";
    }
    List<ViewDefinition> outliving = viewsOutliving(views, retention);
    if (outliving.isEmpty()) {
      log.info(
          "{} keeps aggregates for {} {}: no view keeps windows longer",
          aggregates.name(),
          retention.map(Duration::toString).orElse("ever (no deletion by time)"),
          source);
    }
    for (ViewDefinition view : outliving) {
      log.warn(
          "View {} keeps windows for {}, longer than {} keeps aggregates ({} {}): windows older"
              + " than the topic's retention.ms are not restored when a task's state is rebuilt;"
              + " raise the topic's retention.ms to at least the view's",
          view.name(),
          view.retention(),
          aggregates.name(),
          retention.orElseThrow(),
          source);
    }
    return outliving;
  }

  private Optional<Duration> brokerRetention() throws Exception {
    if (adminConfig.isEmpty()) {
      throw new IllegalStateException("no admin client configured");
    }
    ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, aggregates.name());
    Admin admin = Admin.create(adminConfig);
    try {
      Config config =
          admin
              .describeConfigs(List.of(topic))
              .all()
              .get(timeout.toMillis(), TimeUnit.MILLISECONDS)
              .get(topic);
      Map<String, String> configs = new HashMap<>();
      for (ConfigEntry entry : config.entries()) {
        if (entry.value() != null) {
          configs.put(entry.name(), entry.value());
        }
      }
      return Topic.retention(configs);
    } finally {
      // Not the default close, which waits for a request that timed out here to time out too.
      admin.close(Duration.ZERO);
    }
  }

  /** The views that keep windows longer than a topic with this retention keeps records. */
  static List<ViewDefinition> viewsOutliving(
      List<ViewDefinition> views, Optional<Duration> retention) {
    return retention
        .map(kept -> views.stream().filter(view -> view.retention().compareTo(kept) > 0).toList())
        .orElse(List.of());
  }
}
