package io.streamdown.query.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamdown.query.TestViews;
import io.streamdown.schemas.TopicCatalog;
import io.streamdown.schemas.ViewDefinition;
import io.streamdown.schemas.WindowType;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;

class SettingsBindingTest {

  @Test
  void theSharedDefaultViewsBindToViewDefinitions() throws IOException {
    StreamdownSettings settings =
        binder("streamdown-views.yml", "streamdown-streams.yml")
            .bind("streamdown", Bindable.of(StreamdownSettings.class))
            .get();

    assertThat(settings.views()).isNotEmpty();
    for (ViewDefinition view : settings.views()) {
      assertThat(settings.view(view.name())).contains(view);
      assertThat(view.retention()).isGreaterThanOrEqualTo(view.window().minimumRetention());
    }
    assertThat(settings.view("sessions-by-source"))
        .hasValueSatisfying(
            view -> {
              assertThat(view.window().type()).isEqualTo(WindowType.SESSION);
              assertThat(view.window().gap()).isEqualTo(java.time.Duration.ofSeconds(30));
              assertThat(view.grace()).isEqualTo(java.time.Duration.ofSeconds(60));
            });
    assertThat(settings.topicCatalog().prefix()).isEqualTo(TopicCatalog.DEFAULT_PREFIX);
  }

  @Test
  void aViewBindsFromKebabCaseProperties() {
    Binder binder =
        new Binder(
            new MapConfigurationPropertySource(
                Map.of(
                    "streamdown.views[0].name", "by-type-5m",
                    "streamdown.views[0].group-by[0]", "type",
                    "streamdown.views[0].window.type", "hopping",
                    "streamdown.views[0].window.size", "5m",
                    "streamdown.views[0].window.advance", "1m",
                    "streamdown.views[0].retention", "2d",
                    "streamdown.topics.prefix", "test.")));

    StreamdownSettings settings =
        binder.bind("streamdown", Bindable.of(StreamdownSettings.class)).get();

    ViewDefinition view = settings.views().get(0);
    assertThat(view.window()).isEqualTo(TestViews.BY_TYPE_5M.window());
    assertThat(view.retention()).isEqualTo(Duration.ofDays(2));
    assertThat(view.grace()).isZero();
    assertThat(settings.topicCatalog().aggregates().name()).isEqualTo("test.aggregates");
  }

  @Test
  void anInvalidViewFailsBinding() {
    Binder binder =
        new Binder(
            new MapConfigurationPropertySource(
                Map.of(
                    "streamdown.views[0].name", "Bad Name",
                    "streamdown.views[0].group-by[0]", "type",
                    "streamdown.views[0].window.size", "1m")));

    assertThatThrownBy(() -> binder.bind("streamdown", Bindable.of(StreamdownSettings.class)))
        .isInstanceOf(BindException.class);
  }

  @Test
  void viewNamesMustBeUnique() {
    assertThatThrownBy(
            () ->
                new StreamdownSettings(
                    List.of(TestViews.BY_SOURCE, TestViews.BY_SOURCE), null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("by-source");
  }

  @Test
  void querySettingsDefaultWhenNothingIsConfiguredAndMatchApplicationYml() throws IOException {
    QuerySettings unconfigured =
        new Binder(new MapConfigurationPropertySource(Map.of()))
            .bindOrCreate("streamdown.query", Bindable.of(QuerySettings.class));
    QuerySettings fromApplicationYml =
        binder("application.yml").bind("streamdown.query", Bindable.of(QuerySettings.class)).get();

    assertThat(unconfigured).isEqualTo(QuerySettings.defaults());
    assertThat(fromApplicationYml).isEqualTo(QuerySettings.defaults());
  }

  @Test
  void routingAndStreamSettingsDefaultAndMatchApplicationYml() throws IOException {
    Binder empty = new Binder(new MapConfigurationPropertySource(Map.of()));
    Binder yml = binder("application.yml");

    assertThat(empty.bindOrCreate("streamdown.query.routing", Bindable.of(RoutingSettings.class)))
        .isEqualTo(RoutingSettings.defaults());
    assertThat(yml.bind("streamdown.query.routing", Bindable.of(RoutingSettings.class)).get())
        .isEqualTo(RoutingSettings.defaults());
    assertThat(empty.bindOrCreate("streamdown.query.stream", Bindable.of(StreamSettings.class)))
        .isEqualTo(StreamSettings.defaults());
    assertThat(yml.bind("streamdown.query.stream", Bindable.of(StreamSettings.class)).get())
        .isEqualTo(StreamSettings.defaults());
  }

  @Test
  void routingAndStreamLimitsMustBePositive() {
    assertThatThrownBy(() -> new RoutingSettings(Duration.ZERO, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                new StreamSettings(
                    0, Duration.ofSeconds(1), Duration.ofSeconds(1), 1, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                new StreamSettings(
                    1, Duration.ZERO, Duration.ofSeconds(1), 1, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void retryAfterRoundsUpToWholeSecondsOfAtLeastOne() {
    assertThat(withRetryAfter(Duration.ofMillis(2500)).retryAfterSeconds()).isEqualTo(3);
    assertThat(withRetryAfter(Duration.ZERO).retryAfterSeconds()).isEqualTo(1);
    assertThat(withRetryAfter(Duration.ofSeconds(2)).retryAfterSeconds()).isEqualTo(2);
  }

  @Test
  void inconsistentLimitsAreRejected() {
    assertThatThrownBy(() -> new QuerySettings(Duration.ZERO, Duration.ofDays(1), 10, 20, 10))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new QuerySettings(Duration.ZERO, Duration.ZERO, 10, 1, 10))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static QuerySettings withRetryAfter(Duration retryAfter) {
    return new QuerySettings(retryAfter, Duration.ofDays(1), 10, 1, 10);
  }

  private static Binder binder(String... classpathYamls) throws IOException {
    List<PropertySource<?>> sources = new ArrayList<>();
    YamlPropertySourceLoader loader = new YamlPropertySourceLoader();
    for (String yaml : classpathYamls) {
      sources.addAll(loader.load(yaml, new ClassPathResource(yaml)));
    }
    return new Binder(ConfigurationPropertySources.from(sources));
  }
}
