package io.streamdown.aggregate.streams;

import static io.streamdown.aggregate.streams.AggregateDriver.BASE;
import static io.streamdown.aggregate.streams.AggregateDriver.event;
import static org.assertj.core.api.Assertions.assertThat;

import io.streamdown.schemas.EmitMode;
import io.streamdown.schemas.GroupKey;
import io.streamdown.schemas.Json;
import io.streamdown.schemas.ViewDefinition;
import io.streamdown.support.SharedStreamsSettings;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.junit.jupiter.api.Test;

/**
 * A view's repartition topic carries contributions, not enriched events. With the shipped
 * Streams settings, a record in the old form (an enriched event's JSON, as an earlier version
 * wrote it) is skipped with a logged warning instead of stopping the task, and the view goes on.
 */
class RepartitionFormatTest {

  @Test
  void aRecordOfTheOldFormatIsSkippedAndTheViewGoesOn() {
    ViewDefinition view = AggregateTopologyTest.tumbling("by-type", EmitMode.UPDATES, "type");
    Map<String, Object> shipped = new HashMap<>();
    SharedStreamsSettings.streamsProperties().forEach((k, v) -> shipped.put((String) k, v));
    // The driver's own choices (state dir, ids, no cache) stay; the shipped handlers are added.
    shipped
        .keySet()
        .retainAll(
            List.of(
                "deserialization.exception.handler",
                "processing.exception.handler",
                "errors.dead.letter.queue.topic.name"));
    assertThat(shipped).containsKey("deserialization.exception.handler");
    try (AggregateDriver driver = new AggregateDriver(shipped, view)) {
      TestInputTopic<String, byte[]> repartition =
          driver.driver.createInputTopic(
              "aggregate-test-view-by-type-by-group-repartition",
              new StringSerializer(),
              new ByteArraySerializer());
      byte[] oldForm = Json.write(event("click", "dev-1", BASE + 1000, 2.0));

      repartition.pipeInput(GroupKey.of("click").encode(), oldForm, BASE + 2000);
      driver.send(event("click", "dev-1", BASE + 3000, 5.0));

      assertThat(driver.readAggregates())
          .singleElement()
          .satisfies(
              aggregate -> {
                assertThat(aggregate.count()).isEqualTo(1);
                assertThat(aggregate.sum()).isEqualTo(5.0);
              });
    }
  }
}
