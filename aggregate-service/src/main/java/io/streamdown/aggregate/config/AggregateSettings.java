package io.streamdown.aggregate.config;

import io.streamdown.aggregate.streams.AggregateTopology;
import io.streamdown.schemas.EnrichedKeying;
import io.streamdown.schemas.TopicCatalog;
import io.streamdown.schemas.ViewDefinition;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The service's settings under {@code streamdown}: the views to compute (the shared
 * {@code streamdown.views} list that query-service reads too) and the topic name prefix.
 *
 * <p>Binding builds each {@link ViewDefinition}, whose constructor rejects an invalid name,
 * group-by field or window; this record adds the checks that span the list (at least one view, no
 * name twice), so a bad configuration stops start-up instead of producing wrong stores and topics.
 *
 * @param views the views to compute, each with its own store and repartition topic
 * @param topics topic naming
 * @param enrichedKey how enrich keys {@code events.enriched} ({@code streamdown.enriched-key},
 *     shared with enrich): by default by the first view's groups, whose events then skip the
 *     repartition topic ({@link EnrichedKeying})
 * @param aggregate the stage's own settings ({@code streamdown.aggregate.*})
 */
@ConfigurationProperties("streamdown")
public record AggregateSettings(
    List<ViewDefinition> views,
    Topics topics,
    EnrichedKeying.Mode enrichedKey,
    Aggregate aggregate) {

  public AggregateSettings {
    if (views == null || views.isEmpty()) {
      throw new IllegalArgumentException("streamdown.views must define at least one view");
    }
    views = List.copyOf(views);
    Set<String> names = new HashSet<>();
    for (ViewDefinition view : views) {
      if (!names.add(view.name())) {
        throw new IllegalArgumentException(
            "streamdown.views defines view '" + view.name() + "' more than once");
      }
    }
    topics = topics == null ? new Topics(null) : topics;
    enrichedKey = EnrichedKeying.Mode.orDefault(enrichedKey);
    aggregate = aggregate == null ? new Aggregate(null) : aggregate;
  }

  /** The keying of {@code events.enriched} these settings expect. */
  public Optional<EnrichedKeying> keying() {
    return EnrichedKeying.of(enrichedKey, views);
  }

  /** The topics under the configured prefix. */
  public TopicCatalog topicCatalog() {
    return new TopicCatalog(topics.prefix());
  }

  /**
   * The stage's own settings.
   *
   * @param originIdle how long a partition of {@code events.raw} may send nothing before a
   *     tumbling view stops measuring its grace against that partition's progress (default 5
   *     minutes; aggregate README, "Tumbling views: grace against the slowest origin"): longer
   *     covers longer outages of an enrich instance, shorter lets windows close sooner after a
   *     partition falls silent
   */
  public record Aggregate(Duration originIdle) {

    public Aggregate {
      originIdle = originIdle == null ? AggregateTopology.DEFAULT_ORIGIN_IDLE : originIdle;
      if (originIdle.toMillis() <= 0) {
        throw new IllegalArgumentException(
            "streamdown.aggregate.origin-idle must be positive, was " + originIdle);
      }
    }
  }

  /**
   * Topic naming.
   *
   * @param prefix prefix of every topic name (default {@code streamdown.})
   */
  public record Topics(String prefix) {

    public Topics {
      prefix = prefix == null ? TopicCatalog.DEFAULT_PREFIX : prefix;
    }
  }
}
