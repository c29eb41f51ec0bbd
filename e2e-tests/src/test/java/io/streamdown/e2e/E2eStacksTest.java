package io.streamdown.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class E2eStacksTest {

  @Test
  void extraAppArgumentsSplitAtWhitespaceAndNoneWhenBlank() {
    assertThat(E2eStacks.extraAppArgs("")).isEmpty();
    assertThat(E2eStacks.extraAppArgs("  ")).isEmpty();
    assertThat(E2eStacks.extraAppArgs(" --a=b \t --c=d "))
        .containsExactly("--a=b", "--c=d");
  }
}
