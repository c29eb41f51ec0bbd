package io.streamdown.query;

import io.streamdown.schemas.EmitMode;
import io.streamdown.schemas.ViewDefinition;
import io.streamdown.schemas.WindowSpec;
import java.time.Duration;
import java.util.List;

/** Views the tests use, independent of the shared default views. */
public final class TestViews {

  public static final ViewDefinition BY_SOURCE =
      new ViewDefinition(
          "by-source",
          List.of("type", "source"),
          WindowSpec.tumbling(Duration.ofMinutes(1)),
          Duration.ofSeconds(10),
          EmitMode.UPDATES,
          Duration.ofDays(1));

  public static final ViewDefinition BY_TYPE_5M =
      new ViewDefinition(
          "by-type-5m",
          List.of("type"),
          WindowSpec.hopping(Duration.ofMinutes(5), Duration.ofMinutes(1)),
          Duration.ofSeconds(10),
          EmitMode.UPDATES,
          Duration.ofDays(1));

  public static final ViewDefinition BY_REGION =
      new ViewDefinition(
          "by-region",
          List.of("type", "reference.region"),
          WindowSpec.tumbling(Duration.ofMinutes(1)),
          null,
          null,
          null);

  public static final ViewDefinition SESSIONS =
      new ViewDefinition(
          "sessions-by-source",
          List.of("type", "source"),
          WindowSpec.session(Duration.ofSeconds(30)),
          Duration.ofSeconds(60),
          EmitMode.UPDATES,
          null);

  public static final List<ViewDefinition> ALL =
      List.of(BY_SOURCE, BY_TYPE_5M, BY_REGION, SESSIONS);

  private TestViews() {}
}
