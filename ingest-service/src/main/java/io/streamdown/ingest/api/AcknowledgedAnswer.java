package io.streamdown.ingest.api;

import io.streamdown.ingest.config.IngestSettings;
import io.streamdown.ingest.kafka.KafkaUnavailableException;
import io.streamdown.schemas.Event;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Answers an event POST once Kafka has acknowledged (or refused) its events, written straight
 * from the servlet's async context on a container thread.
 *
 * <p>Returning a future from the controller would have Spring MVC dispatch the request a second
 * time, through every filter and the DispatcherServlet, only to write the answer: on the
 * single-event path that second pass was two fifths of the request threads' CPU. The answer is
 * the same either way: 202 with {@link IngestResponse}, or the problem detail of {@link
 * ProblemDetailsAdvice} (503 with Retry-After when Kafka did not take the events).
 *
 * <p>The acknowledgement arrives on a Kafka thread, which must never write to a socket (a slow
 * client would stall every producer send behind it), so the answer is handed to the container's
 * executor. Should no outcome arrive at all, the async timeout answers 503 instead; whichever
 * comes first answers, the other does nothing.
 */
@Component
class AcknowledgedAnswer {

  private static final Logger log = LoggerFactory.getLogger(AcknowledgedAnswer.class);

  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** Past the write deadline, by which the writer always completes; only a bug reaches it. */
  private static final long TIMEOUT_MARGIN_MILLIS = 10_000;

  private final ProblemDetailsAdvice problems;
  private final long timeoutMillis;

  AcknowledgedAnswer(ProblemDetailsAdvice problems, IngestSettings settings) {
    this.problems = problems;
    this.timeoutMillis = settings.kafka().writeTimeout().toMillis() + TIMEOUT_MARGIN_MILLIS;
  }

  /** Puts the request in async mode and answers it when {@code written} completes. */
  void answerWhenDone(
      HttpServletRequest request,
      HttpServletResponse response,
      CompletableFuture<List<Event>> written) {
    AsyncContext async = request.startAsync(request, response);
    async.setTimeout(timeoutMillis);
    AtomicBoolean answered = new AtomicBoolean();
    async.addListener(new Timeout(request, response, answered));
    written.whenComplete(
        (events, error) -> {
          try {
            async.start(() -> answer(async, request, response, answered, events, error));
          } catch (IllegalStateException e) {
            // The timeout answered and completed the request first.
          }
        });
  }

  private void answer(
      AsyncContext async,
      HttpServletRequest request,
      HttpServletResponse response,
      AtomicBoolean answered,
      List<Event> events,
      Throwable error) {
    if (!answered.compareAndSet(false, true)) {
      return;
    }
    try {
      if (error == null) {
        write(
            response,
            HttpServletResponse.SC_ACCEPTED,
            MediaType.APPLICATION_JSON_VALUE,
            JSON.writeValueAsBytes(IngestResponse.of(events)));
      } else {
        writeProblem(response, problemFor(unwrap(error), request));
      }
    } catch (IOException e) {
      log.debug("the client of {} left before its answer", request.getRequestURI(), e);
    } catch (RuntimeException e) {
      // A bug: never an empty 200. A client that retries is safe, as enrich drops duplicates.
      log.error("could not write the answer to {}", request.getRequestURI(), e);
      if (!response.isCommitted()) {
        response.reset();
        response.setStatus(HttpServletResponse.SC_INTERNAL_SERVER_ERROR);
      }
    } finally {
      async.complete();
    }
  }

  private ResponseEntity<ProblemDetail> problemFor(Throwable error, HttpServletRequest request) {
    if (error instanceof KafkaUnavailableException unavailable) {
      return problems.unavailable(unavailable, request);
    }
    return problems.unexpected(
        error instanceof Exception e ? e : new IllegalStateException(error), request);
  }

  private static Throwable unwrap(Throwable error) {
    return error instanceof CompletionException && error.getCause() != null
        ? error.getCause()
        : error;
  }

  private static void writeProblem(
      HttpServletResponse response, ResponseEntity<ProblemDetail> answer) throws IOException {
    answer.getHeaders().forEach((name, values) -> values.forEach(v -> response.addHeader(name, v)));
    write(
        response,
        answer.getStatusCode().value(),
        MediaType.APPLICATION_PROBLEM_JSON_VALUE,
        JSON.writeValueAsBytes(members(answer.getBody())));
  }

  /**
   * The members of a problem as Spring MVC writes them: the standard ones that are set (an absent
   * {@code type} means {@code about:blank}), then the others.
   */
  private static Map<String, Object> members(ProblemDetail problem) {
    Map<String, Object> members = new LinkedHashMap<>();
    if (problem.getType() != null) {
      members.put("type", problem.getType().toString());
    }
    putIfSet(members, "title", problem.getTitle());
    members.put("status", problem.getStatus());
    putIfSet(members, "detail", problem.getDetail());
    if (problem.getInstance() != null) {
      members.put("instance", problem.getInstance().toString());
    }
    if (problem.getProperties() != null) {
      members.putAll(problem.getProperties());
    }
    return members;
  }

  private static void putIfSet(Map<String, Object> members, String name, String value) {
    if (value != null) {
      members.put(name, value);
    }
  }

  private static void write(HttpServletResponse response, int status, String type, byte[] body)
      throws IOException {
    response.setStatus(status);
    response.setContentType(type);
    // A known length: one write, no chunked encoding.
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }

  /** Answers 503 when neither an acknowledgement nor a failure came within the timeout. */
  private final class Timeout implements AsyncListener {

    private final HttpServletRequest request;
    private final HttpServletResponse response;
    private final AtomicBoolean answered;

    Timeout(HttpServletRequest request, HttpServletResponse response, AtomicBoolean answered) {
      this.request = request;
      this.response = response;
      this.answered = answered;
    }

    @Override
    public void onTimeout(AsyncEvent event) throws IOException {
      if (answered.compareAndSet(false, true)) {
        writeProblem(
            response,
            problems.unavailable(
                KafkaUnavailableException.outcomeUnknown("Kafka did not answer in time", null),
                request));
        log.warn(
            "no outcome for {} within the request timeout: answered 503, the write may still"
                + " become visible",
            request.getRequestURI());
      }
      event.getAsyncContext().complete();
    }

    @Override
    public void onComplete(AsyncEvent event) {}

    @Override
    public void onError(AsyncEvent event) {
      answered.set(true); // the connection failed: there is no one left to answer
    }

    @Override
    public void onStartAsync(AsyncEvent event) {}
  }
}
