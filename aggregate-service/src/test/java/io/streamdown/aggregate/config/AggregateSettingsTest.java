package io.streamdown.aggregate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamdown.schemas.EmitMode;
import io.streamdown.schemas.EnrichedKeying;
import io.streamdown.schemas.TopicCatalog;
import io.streamdown.schemas.ViewDefinition;
import io.streamdown.schemas.WindowType;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.YamlPropertiesFactoryBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.ConfigDataApplicationContextInitializer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;

/** Binding of the views from the service's real configuration and from overrides. */
class AggregateSettingsTest {

  @Configuration(proxyBeanMethods = false)
  @EnableConfigurationProperties(AggregateSettings.class)
  static class SettingsOnly {}

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withInitializer(new ConfigDataApplicationContextInitializer())
          .withUserConfiguration(SettingsOnly.class);

  @Test
  void bindsTheSharedDefaultViewsThroughApplicationYml() {
    YamlPropertiesFactoryBean yaml = new YamlPropertiesFactoryBean();
    yaml.setResources(new ClassPathResource("streamdown-views.yml"));
    Properties shared = yaml.getObject();

    runner.run(
        context -> {
          assertThat(context).hasNotFailed();
          AggregateSettings settings = context.getBean(AggregateSettings.class);
          assertThat(settings.topicCatalog()).isEqualTo(TopicCatalog.withDefaultPrefix());
          assertThat(settings.views()).isNotEmpty();
          for (int i = 0; i < settings.views().size(); i++) {
            ViewDefinition view = settings.views().get(i);
            String prefix = "streamdown.views[" + i + "].";
            assertThat(view.name()).isEqualTo(shared.getProperty(prefix + "name"));
            assertThat(view.groupBy().get(0)).isEqualTo(shared.getProperty(prefix + "group-by[0]"));
            assertThat(view.window().type().name())
                .isEqualToIgnoringCase(shared.getProperty(prefix + "window.type"));
            // Each kind has its own length parameter: a session its gap, the others a size.
            assertThat(
                    view.window().type() == WindowType.SESSION
                        ? view.window().gap()
                        : view.window().size())
                .isPositive();
          }
          assertThat(settings.views())
              .anySatisfy(
                  view -> {
                    assertThat(view.name()).isEqualTo("sessions-by-source");
                    assertThat(view.window().type()).isEqualTo(WindowType.SESSION);
                    assertThat(view.window().gap()).isEqualTo(Duration.ofSeconds(30));
                    assertThat(view.grace()).isEqualTo(Duration.ofSeconds(60));
                  });
          assertThat(shared.getProperty("streamdown.views[" + settings.views().size() + "].name"))
              .isNull();
        });
  }

  @Test
  void bindsKebabCaseNamesEnumsAndDurations() {
    runner
        .withPropertyValues(
            "streamdown.topics.prefix=test.",
            "streamdown.views[0].name=by-type-5m",
            "streamdown.views[0].group-by=type,reference.region",
            "streamdown.views[0].window.type=hopping",
            "streamdown.views[0].window.size=5m",
            "streamdown.views[0].window.advance=1m",
            "streamdown.views[0].grace=10s",
            "streamdown.views[0].emit=final",
            "streamdown.views[0].retention=2d",
            "streamdown.views[1].name=plain",
            "streamdown.views[1].group-by=source",
            "streamdown.views[1].window.size=30s")
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              AggregateSettings settings = context.getBean(AggregateSettings.class);
              assertThat(settings.topicCatalog().prefix()).isEqualTo("test.");
              assertThat(settings.views()).hasSize(2);
              ViewDefinition hopping = settings.views().get(0);
              assertThat(hopping.groupBy()).containsExactly("type", "reference.region");
              assertThat(hopping.window().type()).isEqualTo(WindowType.HOPPING);
              assertThat(hopping.window().size()).isEqualTo(Duration.ofMinutes(5));
              assertThat(hopping.window().advance()).isEqualTo(Duration.ofMinutes(1));
              assertThat(hopping.grace()).isEqualTo(Duration.ofSeconds(10));
              assertThat(hopping.emit()).isEqualTo(EmitMode.FINAL);
              assertThat(hopping.retention()).isEqualTo(Duration.ofDays(2));
              ViewDefinition plain = settings.views().get(1);
              assertThat(plain.window().type()).isEqualTo(WindowType.TUMBLING);
              assertThat(plain.window().advance()).isEqualTo(Duration.ofSeconds(30));
              assertThat(plain.grace()).isZero();
              assertThat(plain.emit()).isEqualTo(EmitMode.UPDATES);
              assertThat(plain.retention()).isEqualTo(Duration.ofDays(1));
            });
  }

  @Test
  void failsOnADuplicateViewName() {
    runner
        .withPropertyValues(
            "streamdown.views[0].name=twice",
            "streamdown.views[0].group-by=type",
            "streamdown.views[0].window.size=1m",
            "streamdown.views[1].name=twice",
            "streamdown.views[1].group-by=source",
            "streamdown.views[1].window.size=5m")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'twice' more than once"));
  }

  @Test
  void failsOnAnInvalidViewName() {
    runner
        .withPropertyValues(
            "streamdown.views[0].name=Not_Valid",
            "streamdown.views[0].group-by=type",
            "streamdown.views[0].window.size=1m")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("Not_Valid"));
  }

  @Test
  void failsOnAnUnsupportedGroupByField() {
    runner
        .withPropertyValues(
            "streamdown.views[0].name=bad-field",
            "streamdown.views[0].group-by=value",
            "streamdown.views[0].window.size=1m")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("unsupported field path 'value'"));
  }

  @Test
  void rejectsAnEmptyListOfViews() {
    assertThatThrownBy(() -> new AggregateSettings(List.of(), null, null, null))
        .hasMessageContaining("at least one view");
  }

  @Test
  void enrichKeysByTheFirstViewUnlessToldToKeyBySource() {
    runner.run(
        context -> {
          AggregateSettings settings = context.getBean(AggregateSettings.class);
          assertThat(settings.enrichedKey()).isEqualTo(EnrichedKeying.Mode.FIRST_VIEW);
          assertThat(settings.keying().orElseThrow().view())
              .isEqualTo(settings.views().get(0));
        });
    runner
        .withPropertyValues("streamdown.enriched-key=source")
        .run(context -> assertThat(context.getBean(AggregateSettings.class).keying()).isEmpty());
    runner
        .withPropertyValues("streamdown.enriched-key=by-source")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .hasStackTraceContaining(
                        "Failed to bind properties under 'streamdown.enriched-key'"));
  }

  @Test
  void originsFallIdleAfterFiveMinutesUnlessConfiguredAndNeverAfterNothing() {
    runner.run(
        context ->
            assertThat(context.getBean(AggregateSettings.class).aggregate().originIdle())
                .isEqualTo(Duration.ofMinutes(5)));
    runner
        .withPropertyValues("streamdown.aggregate.origin-idle=90s")
        .run(
            context ->
                assertThat(context.getBean(AggregateSettings.class).aggregate().originIdle())
                    .isEqualTo(Duration.ofSeconds(90)));
    runner
        .withPropertyValues("streamdown.aggregate.origin-idle=0s")
        .run(
            context ->
                assertThat(context)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("streamdown.aggregate.origin-idle must be positive"));
  }
}
