package io.streamdown.ingest.api;

import io.streamdown.ingest.request.IncomingBody;
import io.streamdown.ingest.service.EventIngestService;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import org.springframework.http.ResponseEntity;
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

  EventsController(EventIngestService service) {
    this.service = service;
  }

  @PostMapping("/api/v1/events")
  CompletableFuture<ResponseEntity<IngestResponse>> post(HttpServletRequest request)
      throws IOException {
    IncomingBody body =
        new IncomingBody(
            request.getContentType(), request.getContentLengthLong(), request.getInputStream());
    // Answered from Kafka's acknowledgement (an async request): no thread waits for it.
    return service
        .ingest(body)
        .thenApply(events -> ResponseEntity.accepted().body(IngestResponse.of(events)));
  }
}
