package io.streamdown.ingest.api;

import io.streamdown.ingest.request.IncomingBody;
import io.streamdown.ingest.service.ReferenceService;
import io.streamdown.schemas.Reference;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Reference data of a source. {@code PUT} answers 200 with the reference as stored: once it
 * returns, the upsert is durable in Kafka, and enrichment applies it to every event ingested
 * afterwards. {@code DELETE} writes a tombstone and answers 204.
 */
@RestController
class ReferenceController {

  private final ReferenceService service;

  ReferenceController(ReferenceService service) {
    this.service = service;
  }

  @PutMapping("/api/v1/reference/{source}")
  ResponseEntity<Reference> put(@PathVariable String source, HttpServletRequest request)
      throws IOException {
    IncomingBody body =
        new IncomingBody(
            request.getContentType(), request.getContentLengthLong(), request.getInputStream());
    return ResponseEntity.ok(service.put(source, body));
  }

  @DeleteMapping("/api/v1/reference/{source}")
  ResponseEntity<Void> delete(@PathVariable String source) {
    service.delete(source);
    return ResponseEntity.noContent().build();
  }
}
