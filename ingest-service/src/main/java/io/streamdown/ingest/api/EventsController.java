package io.streamdown.ingest.api;

import io.streamdown.ingest.request.IncomingBody;
import io.streamdown.ingest.service.EventIngestService;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/v1/events}: a JSON object, a JSON array of objects, or NDJSON. The body is
 * handed over raw, since the service reads it within its byte limit and tells malformed (400) from
 * invalid (422) itself; no media type is declared here for the same reason.
 */
@RestController
class EventsController {

  private final EventIngestService service;
  private final AcknowledgedAnswer answer;

  EventsController(EventIngestService service, AcknowledgedAnswer answer) {
    this.service = service;
    this.answer = answer;
  }

  /**
   * A refused request is answered at once (the exception goes to {@link ProblemDetailsAdvice});
   * an accepted one once Kafka has acknowledged it, by {@link AcknowledgedAnswer}: no thread waits
   * for Kafka meanwhile.
   */
  @PostMapping("/api/v1/events")
  void post(HttpServletRequest request, HttpServletResponse response) throws IOException {
    IncomingBody body =
        new IncomingBody(
            request.getContentType(), request.getContentLengthLong(), request.getInputStream());
    answer.answerWhenDone(request, response, service.ingest(body));
  }
}
