package io.streamdown.query.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RoutePlanTest {

  private static final Instance A = new Instance("a", 8084);
  private static final Instance B = new Instance("b", 8184);
  private static final Instance C = new Instance("c", 8284);

  @Test
  void theActiveInstanceAnswersItselfAndStandbysFollow() {
    var plan = RoutePlan.plan(Optional.of(new KeyPlacement(3, A, Set.of(C, B))), A, false);
    assertThat(plan)
        .containsExactly(new Target(A, true), new Target(B, false), new Target(C, false));
  }

  @Test
  void anotherActiveInstanceIsAskedFirstThenTheOwnStandbyThenOthers() {
    var plan = RoutePlan.plan(Optional.of(new KeyPlacement(1, C, Set.of(A, B))), A, false);
    assertThat(plan)
        .containsExactly(new Target(C, false), new Target(A, true), new Target(B, false));
  }

  @Test
  void anInstanceWithoutACopyStillTriesItselfLastAsTheMetadataMayLag() {
    var plan = RoutePlan.plan(Optional.of(new KeyPlacement(1, B, Set.of(C))), A, false);
    assertThat(plan)
        .containsExactly(new Target(B, false), new Target(C, false), new Target(A, true));
  }

  @Test
  void withoutAnActiveInstanceTheStandbysAnswer() {
    var plan = RoutePlan.plan(Optional.of(new KeyPlacement(1, null, Set.of(C, B))), A, false);
    assertThat(plan)
        .containsExactly(new Target(B, false), new Target(C, false), new Target(A, true));
  }

  @Test
  void aForwardedRequestIsAnsweredHereOnly() {
    var plan = RoutePlan.plan(Optional.of(new KeyPlacement(1, B, Set.of(C))), A, true);
    assertThat(plan).containsExactly(new Target(A, true));
  }

  @Test
  void withoutMetadataNobodyIsAsked() {
    assertThat(RoutePlan.plan(Optional.empty(), A, false)).isEmpty();
    assertThat(RoutePlan.plan(Optional.empty(), A, true)).isEmpty();
  }
}
