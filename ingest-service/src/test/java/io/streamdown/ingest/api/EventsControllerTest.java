package io.streamdown.ingest.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.request;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.streamdown.ingest.kafka.KafkaUnavailableException;
import io.streamdown.ingest.service.IngestMetrics;
import io.streamdown.schemas.Event;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockAsyncContext;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.ResultActions;
import tools.jackson.databind.json.JsonMapper;

class EventsControllerTest extends WebSliceTest {

  private static final String NDJSON = "application/x-ndjson";
  private static final String EVENTS = "/api/v1/events";

  private ResultActions postJson(String body) throws Exception {
    return perform(post(EVENTS).contentType(MediaType.APPLICATION_JSON).content(body));
  }

  private ResultActions postNdjson(String body) throws Exception {
    return perform(post(EVENTS).contentType(NDJSON).content(body));
  }

  private static void expectProblem(ResultActions result, int status) throws Exception {
    result
        .andExpect(status().is(status))
        .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
        .andExpect(jsonPath("$.status").value(status))
        .andExpect(jsonPath("$.title").isString())
        .andExpect(jsonPath("$.detail").isString());
  }

  private double rejected(String reason) {
    return registry.get(IngestMetrics.REJECTED).tag("reason", reason).counter().count();
  }

  private double accepted() {
    return registry.get(IngestMetrics.ACCEPTED).counter().count();
  }

  @SuppressWarnings("unchecked")
  private List<Event> writtenEvents() {
    ArgumentCaptor<List<Event>> captor = ArgumentCaptor.forClass(List.class);
    verify(writer).writeEvents(captor.capture());
    return captor.getValue();
  }

  /** POSTs {@code json}, whose write completes with {@code acknowledgement}; not answered yet. */
  private MvcResult startPending(String json, CompletableFuture<Void> acknowledgement)
      throws Exception {
    when(writer.writeEvents(anyList())).thenReturn(acknowledgement);
    return mvc.perform(post(EVENTS).contentType(MediaType.APPLICATION_JSON).content(json))
        .andExpect(request().asyncStarted())
        .andReturn();
  }

  @Test
  void theAnswerWaitsForKafkaWithoutHoldingTheRequestThread() throws Exception {
    double acceptedBefore = accepted();
    CompletableFuture<Void> acknowledgement = new CompletableFuture<>();
    String json = "{\"eventId\":\"e-9\",\"source\":\"pump-1\",\"type\":\"temp\"}";
    MvcResult started = startPending(json, acknowledgement);

    // The handler has returned; nothing is answered or counted before Kafka acknowledges.
    assertThat(started.getResponse().getStatus()).isEqualTo(200); // not yet set
    assertThat(started.getResponse().getContentLength()).isZero();
    assertThat(accepted()).isEqualTo(acceptedBefore);
    acknowledgement.complete(null);

    // The acknowledgement answers the request itself, without a second dispatch.
    assertThat(started.getRequest().isAsyncStarted()).isFalse();
    MockHttpServletResponse answer = started.getResponse();
    assertThat(answer.getStatus()).isEqualTo(202);
    assertThat(answer.getContentType()).isEqualTo(MediaType.APPLICATION_JSON_VALUE);
    assertThat(answer.getContentLength()).isEqualTo(answer.getContentAsByteArray().length);
    assertThat(answer.getContentAsString()).isEqualTo("{\"accepted\":1,\"eventIds\":[\"e-9\"]}");
    assertThat(accepted() - acceptedBefore).isEqualTo(1);
  }

  @Test
  void kafkaFailingLaterIs503ProblemFromTheAcknowledgement() throws Exception {
    CompletableFuture<Void> acknowledgement = new CompletableFuture<>();
    MvcResult started = startPending("{\"source\":\"pump-1\",\"type\":\"temp\"}", acknowledgement);
    acknowledgement.completeExceptionally(
        new KafkaUnavailableException("the batch transaction failed and was aborted", null));

    MockHttpServletResponse answer = started.getResponse();
    assertThat(answer.getStatus()).isEqualTo(503);
    assertThat(answer.getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
    assertThat(answer.getHeader("Retry-After")).isEqualTo(RETRY_AFTER_SECONDS);
    assertThat(JsonMapper.builder().build().readValue(answer.getContentAsString(), Map.class))
        .isEqualTo(
            Map.of(
                "title", "Kafka unavailable",
                "status", 503,
                "detail",
                "the batch transaction failed and was aborted; nothing was written, retry later",
                "written", "no",
                "instance", "/api/v1/events"));
  }

  @Test
  void noOutcomeWithinTheTimeoutIs503AndALateAcknowledgementChangesNothing() throws Exception {
    CompletableFuture<Void> acknowledgement = new CompletableFuture<>();
    MvcResult started = startPending("{\"source\":\"pump-1\",\"type\":\"temp\"}", acknowledgement);
    MockAsyncContext async = (MockAsyncContext) started.getRequest().getAsyncContext();
    assertThat(async.getTimeout()).isGreaterThan(10_000);

    // What the container does when the async timeout passes.
    for (AsyncListener listener : List.copyOf(async.getListeners())) {
      if (listener.getClass().getEnclosingClass() == AcknowledgedAnswer.class) {
        listener.onTimeout(new AsyncEvent(async));
      }
    }
    MockHttpServletResponse answer = started.getResponse();
    assertThat(answer.getStatus()).isEqualTo(503);
    assertThat(answer.getHeader("Retry-After")).isEqualTo(RETRY_AFTER_SECONDS);
    String body = answer.getContentAsString();
    assertThat(JsonMapper.builder().build().readValue(body, Map.class))
        .containsEntry("written", "unknown")
        .containsEntry(
            "detail",
            "Kafka did not answer in time; the events may still become visible: retry with the"
                + " same eventIds, duplicates are dropped");

    acknowledgement.complete(null);
    assertThat(answer.getStatus()).isEqualTo(503);
    assertThat(answer.getContentAsString()).isEqualTo(body);
  }

  @Test
  void acceptsOneObjectAndWritesTheStampedEvent() throws Exception {
    double acceptedBefore = accepted();
    long before = System.currentTimeMillis();

    postJson("{\"eventId\":\"e-1\",\"source\":\"pump-1\",\"type\":\"temp\",\"value\":21.5}")
        .andExpect(status().isAccepted())
        .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
        .andExpect(jsonPath("$.accepted").value(1))
        .andExpect(jsonPath("$.eventIds[0]").value("e-1"));

    Event event = writtenEvents().get(0);
    assertThat(event.source()).isEqualTo("pump-1");
    assertThat(event.value()).isEqualTo(21.5);
    assertThat(event.ingestTime()).isBetween(before, System.currentTimeMillis());
    assertThat(event.time()).isEqualTo(event.ingestTime());
    assertThat(accepted() - acceptedBefore).isEqualTo(1);
    assertThat(registry.get(IngestMetrics.REQUESTS).tag("outcome", "accepted").timer().count())
        .isPositive();
  }

  @Test
  void acceptsAnArrayInOrderAndAssignsMissingIds() throws Exception {
    String response =
        postJson(
                "[{\"source\":\"a\",\"type\":\"t\"},{\"eventId\":\"given\",\"source\":\"b\","
                    + "\"type\":\"t\",\"time\":\"2026-01-01T00:00:00Z\"}]")
            .andExpect(status().isAccepted())
            .andExpect(jsonPath("$.accepted").value(2))
            .andExpect(jsonPath("$.eventIds", hasSize(2)))
            .andExpect(jsonPath("$.eventIds[1]").value("given"))
            .andReturn()
            .getResponse()
            .getContentAsString();

    List<Event> events = writtenEvents();
    assertThat(events).extracting(Event::source).containsExactly("a", "b");
    assertThat(response).contains(events.get(0).eventId());
    assertThat(events.get(0).eventId()).matches("[0-9a-f-]{36}");
  }

  @Test
  void acceptsNdjson() throws Exception {
    postNdjson("{\"source\":\"a\",\"type\":\"t\"}\n\n{\"source\":\"b\",\"type\":\"t\"}\n")
        .andExpect(status().isAccepted())
        .andExpect(jsonPath("$.accepted").value(2));

    assertThat(writtenEvents()).extracting(Event::source).containsExactly("a", "b");
  }

  @Test
  void malformedJsonIs400() throws Exception {
    double before = rejected("malformed");

    ResultActions result = postJson("[{\"source\":\"a\",\"type\":\"t\"},{\"source\":}]");

    expectProblem(result, 400);
    result.andExpect(jsonPath("$.detail", startsWith("malformed JSON at line 1, column")));
    result.andExpect(jsonPath("$.instance").value(EVENTS));
    result.andExpect(jsonPath("$.detail", org.hamcrest.Matchers.not(containsString("at tools."))));
    verify(writer, never()).writeEvents(anyList());
    assertThat(rejected("malformed") - before).isEqualTo(1);
  }

  @Test
  void malformedNdjsonLineIs400WithTheLineNumber() throws Exception {
    ResultActions result =
        postNdjson("{\"source\":\"a\",\"type\":\"t\"}\n{\"source\":\"b\",\"type\":\"t\"\n");

    expectProblem(result, 400);
    result
        .andExpect(jsonPath("$.line").value(2))
        .andExpect(jsonPath("$.detail", startsWith("malformed JSON on line 2")));
    verify(writer, never()).writeEvents(anyList());
  }

  @Test
  void emptyBodyIs400() throws Exception {
    expectProblem(postJson(""), 400);
    expectProblem(postNdjson("\n\n"), 400);
  }

  @Test
  void invalidUtf8Is400() throws Exception {
    byte[] body = {'{', '"', 's', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
    expectProblem(
        perform(post(EVENTS).contentType(MediaType.APPLICATION_JSON).content(body)), 400);
  }

  @Test
  void bodyOverTheLimitIs413() throws Exception {
    double before = rejected("too-large");
    String padding = " ".repeat(MAX_BODY_BYTES);

    ResultActions result = postJson("{\"source\":\"a\",\"type\":\"t\"}" + padding);

    expectProblem(result, 413);
    result
        .andExpect(jsonPath("$.limit").value("max-body-bytes"))
        .andExpect(jsonPath("$.maximum").value(MAX_BODY_BYTES));
    assertThat(rejected("too-large") - before).isEqualTo(1);
  }

  @Test
  void batchOverTheLimitIs413() throws Exception {
    String batch =
        IntStream.rangeClosed(0, MAX_BATCH_EVENTS)
            .mapToObj(i -> "{\"source\":\"s\",\"type\":\"t\"}")
            .collect(Collectors.joining("\n"));

    ResultActions result = postNdjson(batch);

    expectProblem(result, 413);
    result.andExpect(jsonPath("$.limit").value("max-batch-events"));
    verify(writer, never()).writeEvents(anyList());
  }

  @Test
  void eventOverTheLimitIs413() throws Exception {
    String big =
        "{\"source\":\"s\",\"type\":\"t\",\"eventId\":\"" + "x".repeat(MAX_EVENT_BYTES) + "\"}";

    ResultActions result = postJson("[{\"source\":\"s\",\"type\":\"t\"}," + big + "]");

    expectProblem(result, 413);
    result
        .andExpect(jsonPath("$.limit").value("max-event-bytes"))
        .andExpect(jsonPath("$.detail", startsWith("event 1 ")));
  }

  @Test
  void otherMediaTypesAre415() throws Exception {
    double before = rejected("unsupported-media-type");

    ResultActions result =
        perform(post(EVENTS).contentType(MediaType.TEXT_PLAIN).content("{}"));

    expectProblem(result, 415);
    result
        .andExpect(jsonPath("$.supported[0]").value("application/json"))
        .andExpect(jsonPath("$.supported[1]").value(NDJSON))
        .andExpect(header().string("Accept-Post", "application/json, " + NDJSON));
    assertThat(rejected("unsupported-media-type") - before).isEqualTo(1);
  }

  @Test
  void missingMediaTypeIs415() throws Exception {
    expectProblem(perform(post(EVENTS).content("{}")), 415);
  }

  @Test
  void nonUtf8CharsetIs415() throws Exception {
    expectProblem(
        perform(post(EVENTS).contentType("application/json;charset=ISO-8859-1").content("{}")),
        415);
  }

  @Test
  void listsEveryBadEventAs422AndWritesNothing() throws Exception {
    double before = rejected("invalid");
    String batch =
        "[{\"source\":\"ok\",\"type\":\"t\"},"
            + "{\"source\":\"s\",\"type\":\"t\",\"colour\":\"red\"},"
            + "{\"source\":\"s\",\"type\":7,\"value\":\"high\"},"
            + "{\"source\":\"s\",\"type\":\"t\",\"value\":NaN},"
            + "{\"source\":\"s\",\"type\":\"t\",\"attributes\":{\"site\":{\"x\":1}}},"
            + "{\"source\":\"s\",\"type\":\"t\",\"type\":\"again\"}]";

    ResultActions result = postJson(batch);

    expectProblem(result, 422);
    result
        .andExpect(jsonPath("$.detail").value("5 of 6 events are invalid; nothing was written"))
        .andExpect(jsonPath("$.errors", hasSize(6)))
        .andExpect(jsonPath("$.errors[0].index").value(1))
        .andExpect(jsonPath("$.errors[0].field").value("colour"))
        .andExpect(jsonPath("$.errors[0].message", startsWith("unknown field")))
        .andExpect(jsonPath("$.errors[1].index").value(2))
        .andExpect(jsonPath("$.errors[1].field").value("type"))
        .andExpect(jsonPath("$.errors[1].message").value("must be a string"))
        .andExpect(jsonPath("$.errors[2].index").value(2))
        .andExpect(jsonPath("$.errors[2].field").value("value"))
        .andExpect(jsonPath("$.errors[3].index").value(3))
        .andExpect(jsonPath("$.errors[3].field").value("value"))
        .andExpect(jsonPath("$.errors[3].message").value("must be a finite number"))
        .andExpect(jsonPath("$.errors[4].index").value(4))
        .andExpect(jsonPath("$.errors[4].field").value("attributes.site"))
        .andExpect(jsonPath("$.errors[5].index").value(5))
        .andExpect(jsonPath("$.errors[5].field").value("type"))
        .andExpect(jsonPath("$.errors[5].message", startsWith("duplicate field")));
    verify(writer, never()).writeEvents(anyList());
    assertThat(rejected("invalid") - before).isEqualTo(6);
  }

  @Test
  void ndjsonViolationsCarryIndexAndLine() throws Exception {
    ResultActions result =
        postNdjson("\n{\"source\":\"s\",\"type\":\"t\"}\n\n{\"source\":\"s\"}\n");

    expectProblem(result, 422);
    result
        .andExpect(jsonPath("$.errors[0].index").value(1))
        .andExpect(jsonPath("$.errors[0].line").value(4))
        .andExpect(jsonPath("$.errors[0].field").value("type"))
        .andExpect(jsonPath("$.errors[0].message").value("is required"));
  }

  @Test
  void topLevelScalarIs422() throws Exception {
    ResultActions result = postJson("42");

    expectProblem(result, 422);
    result.andExpect(jsonPath("$.errors[0].index").value(0));
  }

  @Test
  void kafkaUnavailableIs503WithRetryAfter() throws Exception {
    double before = rejected("unavailable");
    when(writer.writeEvents(any()))
        .thenReturn(
            CompletableFuture.failedFuture(
                new KafkaUnavailableException("Kafka did not take the write", null)));

    ResultActions result =
        postJson("[{\"source\":\"a\",\"type\":\"t\"},{\"source\":\"b\",\"type\":\"t\"}]");

    expectProblem(result, 503);
    result.andExpect(header().string("Retry-After", RETRY_AFTER_SECONDS));
    assertThat(rejected("unavailable") - before).isEqualTo(2);
  }

  @Test
  void unknownRouteIs404Problem() throws Exception {
    expectProblem(perform(get("/api/v1/nothing-here")), 404);
  }

  @Test
  void wrongMethodIs405Problem() throws Exception {
    ResultActions result = perform(get(EVENTS));

    expectProblem(result, 405);
    result.andExpect(header().string("Allow", containsString("POST")));
  }
}
