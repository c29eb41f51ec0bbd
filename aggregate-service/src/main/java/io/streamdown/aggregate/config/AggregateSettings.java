package io.streamdown.aggregate.config;

import io.streamdown.schemas.EnrichedKeying;
import io.streamdown.schemas.TopicCatalog;
import io.streamdown.schemas.ViewDefinition;
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
 */
@ConfigurationProperties("streamdown")
public record AggregateSettings(
    List<ViewDefinition> views, Topics topics, EnrichedKeying.Mode enrichedKey) {

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
