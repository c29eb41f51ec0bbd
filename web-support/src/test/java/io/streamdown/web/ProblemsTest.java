package io.streamdown.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.ProblemDetail;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ProblemsTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Test
  void writesTheStandardMembersThenTheOthersAndNoType() {
    Map<String, Object> members = new LinkedHashMap<>();
    members.put("limit", 100);
    members.put("fields", List.of("a", "b"));

    JsonNode problem = JSON.readTree(Problems.json(413, "Content Too Large", "too big", members));

    assertThat(problem.propertyNames())
        .containsExactly("title", "status", "detail", "limit", "fields");
    assertThat(problem.get("title").asString()).isEqualTo("Content Too Large");
    assertThat(problem.get("status").asInt()).isEqualTo(413);
    assertThat(problem.get("detail").asString()).isEqualTo("too big");
    assertThat(problem.get("limit").asInt()).isEqualTo(100);
    assertThat(problem.has("type")).isFalse();
  }

  @Test
  void leavesTypeOutLikeSpringMvcsOwnProblems() {
    // Spring MVC's problems have no type unless one is set: the two shapes must agree.
    assertThat(ProblemDetail.forStatus(400).getType()).isNull();
  }
}
