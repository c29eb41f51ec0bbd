package io.streamdown.query.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamdown.query.TestViews;
import io.streamdown.schemas.TopicCatalog;
import io.streamdown.schemas.ViewDefinition;
import io.streamdown.schemas.WindowSpec;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which views keep windows longer than `aggregates`, their changelog, keeps records. */
class ViewsOutlivingAggregatesTest {

  static ViewDefinition keeping(String name, Duration retention) {
    return new ViewDefinition(
        name,
        TestViews.BY_SOURCE.groupBy(),
        WindowSpec.tumbling(Duration.ofMinutes(1)),
        null,
        null,
        retention);
  }

  @Test
  void onlyViewsKeepingWindowsLongerThanTheTopicAreNamed() {
    List<ViewDefinition> views =
        List.of(
            keeping("a-day", Duration.ofDays(1)),
            keeping("a-week", Duration.ofDays(7)),
            keeping("a-month", Duration.ofDays(30)));

    assertThat(
            AggregatesRetentionCheck.viewsOutliving(
                views, TopicCatalog.withDefaultPrefix().aggregates().retention()))
        .extracting(ViewDefinition::name)
        .containsExactly("a-month");
  }

  @Test
  void aTopicThatSaysNothingOfItsRetentionNamesNoView() {
    assertThat(
            AggregatesRetentionCheck.viewsOutliving(
                List.of(keeping("a-month", Duration.ofDays(30))),
                TopicCatalog.withDefaultPrefix().reference().retention()))
        .isEmpty();
  }
}
