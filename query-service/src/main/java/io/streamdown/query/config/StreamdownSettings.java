package io.streamdown.query.config;

import io.streamdown.schemas.TopicCatalog;
import io.streamdown.schemas.ViewDefinition;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The pipeline-wide settings the query service shares with the other stages: the configured
 * views (from {@code streamdown-views.yml} unless overridden) and the topic name prefix.
 *
 * @param views the views to serve; each gets its own window store
 * @param topics topic naming
 */
@ConfigurationProperties("streamdown")
public record StreamdownSettings(List<ViewDefinition> views, Topics topics) {

  public StreamdownSettings {
    views = views == null ? List.of() : List.copyOf(views);
    topics = topics == null ? new Topics(null) : topics;
    Set<String> names = new HashSet<>();
    for (ViewDefinition view : views) {
      if (!names.add(view.name())) {
        throw new IllegalArgumentException("view '" + view.name() + "' is defined twice");
      }
    }
  }

  /**
   * Topic naming.
   *
   * @param prefix prefix of every topic name, {@link TopicCatalog#DEFAULT_PREFIX} when absent
   */
  public record Topics(String prefix) {}

  /** The view of that name, if configured. */
  public Optional<ViewDefinition> view(String name) {
    return views.stream().filter(view -> view.name().equals(name)).findFirst();
  }

  public TopicCatalog topicCatalog() {
    return new TopicCatalog(topics.prefix());
  }
}
