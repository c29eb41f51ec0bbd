package io.streamdown.ingest.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.startsWith;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.streamdown.ingest.kafka.KafkaUnavailableException;
import io.streamdown.schemas.EventLimits;
import io.streamdown.schemas.Reference;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.ResultActions;

class ReferenceControllerTest extends WebSliceTest {

  private static final String REFERENCE = "/api/v1/reference/";

  private ResultActions putJson(String source, String body) throws Exception {
    return perform(
        put(REFERENCE + source).contentType(MediaType.APPLICATION_JSON).content(body));
  }

  private static void expectProblem(ResultActions result, int status) throws Exception {
    result
        .andExpect(status().is(status))
        .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
        .andExpect(jsonPath("$.status").value(status));
  }

  @Test
  void putStoresTheReferenceAndAnswersWithIt() throws Exception {
    long before = System.currentTimeMillis();

    putJson("pump-1", "{\"site\":\"north\",\"floor\":3,\"critical\":true}")
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.source").value("pump-1"))
        .andExpect(jsonPath("$.attributes.site").value("north"))
        .andExpect(jsonPath("$.attributes.floor").value(3))
        .andExpect(jsonPath("$.attributes.critical").value(true))
        .andExpect(jsonPath("$.updatedAt").isNumber());

    ArgumentCaptor<Reference> captor = ArgumentCaptor.forClass(Reference.class);
    verify(writer).writeReference(captor.capture());
    Reference written = captor.getValue();
    assertThat(written.source()).isEqualTo("pump-1");
    assertThat(written.attributes())
        .containsExactly(
            Map.entry("site", "north"), Map.entry("floor", 3L), Map.entry("critical", true));
    assertThat(written.updatedAt()).isBetween(before, System.currentTimeMillis());
  }

  @Test
  void putAcceptsAnEmptyObject() throws Exception {
    putJson("pump-2", "{}")
        .andExpect(status().isOk())
        .andExpect(jsonPath("$.attributes").isEmpty());
  }

  @Test
  void putMalformedIs400() throws Exception {
    ResultActions result = putJson("pump-1", "{\"site\":");

    expectProblem(result, 400);
    result.andExpect(jsonPath("$.detail", startsWith("malformed JSON")));
    verify(writer, never()).writeReference(any());
  }

  @Test
  void putEmptyIs400() throws Exception {
    expectProblem(putJson("pump-1", ""), 400);
  }

  @Test
  void putInvalidAttributesAre422WithEveryField() throws Exception {
    ResultActions result =
        putJson("pump-1", "{\"site\":{\"x\":1},\"owner\":null,\"ok\":\"fine\",\"n\":Infinity}");

    expectProblem(result, 422);
    result
        .andExpect(jsonPath("$.errors[0].field").value("site"))
        .andExpect(jsonPath("$.errors[1].field").value("owner"))
        .andExpect(jsonPath("$.errors[2].field").value("n"))
        .andExpect(jsonPath("$.errors[0].index").doesNotExist());
    verify(writer, never()).writeReference(any());
  }

  @Test
  void putDuplicateKeyIs422() throws Exception {
    ResultActions result = putJson("pump-1", "{\"site\":\"a\",\"site\":\"b\"}");

    expectProblem(result, 422);
    result
        .andExpect(jsonPath("$.errors[0].field").value("site"))
        .andExpect(jsonPath("$.errors[0].message", startsWith("duplicate field")));
  }

  @Test
  void putArrayIs422() throws Exception {
    expectProblem(putJson("pump-1", "[{\"site\":\"a\"}]"), 422);
  }

  @Test
  void putTooLongSourceIs422() throws Exception {
    String source = "s".repeat(EventLimits.MAX_SOURCE_LENGTH + 1);

    ResultActions result = putJson(source, "{\"site\":\"a\"}");

    expectProblem(result, 422);
    result.andExpect(jsonPath("$.errors[0].field").value("source"));
    verify(writer, never()).writeReference(any());
  }

  @Test
  void putNdjsonIs415() throws Exception {
    ResultActions result =
        perform(put(REFERENCE + "pump-1").contentType("application/x-ndjson").content("{}"));

    expectProblem(result, 415);
    result.andExpect(jsonPath("$.supported[0]").value("application/json"));
  }

  @Test
  void putBodyOverTheLimitIs413() throws Exception {
    expectProblem(putJson("pump-1", "{}" + " ".repeat(MAX_BODY_BYTES)), 413);
  }

  @Test
  void putWhenKafkaIsUnavailableIs503() throws Exception {
    doThrow(new KafkaUnavailableException("Kafka did not take the write", null))
        .when(writer)
        .writeReference(any());

    ResultActions result = putJson("pump-1", "{\"site\":\"a\"}");

    expectProblem(result, 503);
    result.andExpect(header().string("Retry-After", RETRY_AFTER_SECONDS));
  }

  @Test
  void deleteWritesATombstone() throws Exception {
    perform(delete(REFERENCE + "pump-1")).andExpect(status().isNoContent());

    verify(writer).deleteReference("pump-1");
  }

  @Test
  void deleteOfABlankSourceIs422() throws Exception {
    expectProblem(perform(delete(REFERENCE + " ")), 422);
    verify(writer, never()).deleteReference(anyString());
  }

  @Test
  void deleteWhenKafkaIsUnavailableIs503() throws Exception {
    doThrow(new KafkaUnavailableException("Kafka did not take the write", null))
        .when(writer)
        .deleteReference(anyString());

    ResultActions result = perform(delete(REFERENCE + "pump-1"));

    expectProblem(result, 503);
    result.andExpect(header().string("Retry-After", RETRY_AFTER_SECONDS));
  }
}
