package io.streamdown.support;

import java.util.Properties;
import org.springframework.beans.factory.config.YamlPropertiesFactoryBean;
import org.springframework.core.io.ClassPathResource;
import org.springframework.util.PropertyPlaceholderHelper;

/**
 * The Kafka Streams properties every service ships with ({@code spring.kafka.streams.properties.*}
 * of {@code streamdown-streams.yml}, placeholders resolved against the same file), for code that
 * runs a topology outside Spring, such as a {@code TopologyTestDriver} test that must prove the
 * configuration the services really run with rather than a copy of it.
 */
public final class SharedStreamsSettings {

  /** The shared settings file on the classpath. */
  public static final String RESOURCE = "streamdown-streams.yml";

  private static final String STREAMS_PREFIX = "spring.kafka.streams.properties.";

  private SharedStreamsSettings() {}

  /** The shipped Streams properties, without their Spring prefix. */
  public static Properties streamsProperties() {
    YamlPropertiesFactoryBean yaml = new YamlPropertiesFactoryBean();
    yaml.setResources(new ClassPathResource(RESOURCE));
    Properties all = yaml.getObject();
    if (all == null || all.isEmpty()) {
      throw new IllegalStateException(RESOURCE + " is not on the classpath");
    }
    PropertyPlaceholderHelper placeholders = new PropertyPlaceholderHelper("${", "}");
    Properties streams = new Properties();
    for (String name : all.stringPropertyNames()) {
      if (name.startsWith(STREAMS_PREFIX)) {
        streams.put(
            name.substring(STREAMS_PREFIX.length()),
            placeholders.replacePlaceholders(all.getProperty(name), all));
      }
    }
    return streams;
  }
}
