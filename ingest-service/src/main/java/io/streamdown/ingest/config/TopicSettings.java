package io.streamdown.ingest.config;

import io.streamdown.schemas.TopicCatalog;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The topic name prefix shared by every service ({@code streamdown.topics.prefix}).
 *
 * @param prefix prepended to every topic name
 */
@ConfigurationProperties("streamdown.topics")
public record TopicSettings(@DefaultValue(TopicCatalog.DEFAULT_PREFIX) String prefix) {

  public TopicCatalog catalog() {
    return new TopicCatalog(prefix);
  }
}
