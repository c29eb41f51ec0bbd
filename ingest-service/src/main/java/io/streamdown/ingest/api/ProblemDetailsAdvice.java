package io.streamdown.ingest.api;

import io.streamdown.ingest.config.IngestSettings;
import io.streamdown.ingest.kafka.KafkaUnavailableException;
import io.streamdown.ingest.request.InvalidBodyException;
import io.streamdown.ingest.request.MalformedBodyException;
import io.streamdown.ingest.request.PayloadTooLargeException;
import io.streamdown.ingest.request.UnsupportedMediaTypeException;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every error as an RFC 9457 problem detail: the service's own refusals (400, 413, 415, 422, 503)
 * here, and Spring MVC's (404, 405, ...) through {@link ResponseEntityExceptionHandler}. Details
 * say what to fix; they never carry a stack trace.
 */
@RestControllerAdvice
class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {

  private static final Logger log = LoggerFactory.getLogger(ProblemDetailsAdvice.class);

  private final long retryAfterSeconds;

  ProblemDetailsAdvice(IngestSettings settings) {
    this.retryAfterSeconds = settings.retryAfterSeconds();
  }

  @ExceptionHandler(MalformedBodyException.class)
  ResponseEntity<ProblemDetail> malformed(MalformedBodyException e, HttpServletRequest request) {
    ProblemDetail problem =
        problem(HttpStatus.BAD_REQUEST, "Malformed request body", e.getMessage(), request);
    if (e.line() != null) {
      problem.setProperty("line", e.line());
    }
    return respond(problem, new HttpHeaders());
  }

  @ExceptionHandler(InvalidBodyException.class)
  ResponseEntity<ProblemDetail> invalid(InvalidBodyException e, HttpServletRequest request) {
    ProblemDetail problem =
        problem(HttpStatus.UNPROCESSABLE_CONTENT, "Invalid request body", e.getMessage(), request);
    problem.setProperty("errors", e.violations());
    return respond(problem, new HttpHeaders());
  }

  @ExceptionHandler(PayloadTooLargeException.class)
  ResponseEntity<ProblemDetail> tooLarge(PayloadTooLargeException e, HttpServletRequest request) {
    ProblemDetail problem =
        problem(HttpStatus.CONTENT_TOO_LARGE, "Request too large", e.getMessage(), request);
    problem.setProperty("limit", e.limit());
    problem.setProperty("maximum", e.maximum());
    return respond(problem, new HttpHeaders());
  }

  @ExceptionHandler(UnsupportedMediaTypeException.class)
  ResponseEntity<ProblemDetail> unsupportedMediaType(
      UnsupportedMediaTypeException e, HttpServletRequest request) {
    ProblemDetail problem =
        problem(
            HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported media type", e.getMessage(), request);
    problem.setProperty("supported", e.supported());
    HttpHeaders headers = new HttpHeaders();
    List<MediaType> supported = e.supported().stream().map(MediaType::parseMediaType).toList();
    headers.setAccept(supported);
    if (HttpMethod.POST.matches(request.getMethod())) {
      headers.set("Accept-Post", String.join(", ", e.supported()));
    }
    return respond(problem, headers);
  }

  @ExceptionHandler(KafkaUnavailableException.class)
  ResponseEntity<ProblemDetail> unavailable(
      KafkaUnavailableException e, HttpServletRequest request) {
    ProblemDetail problem =
        problem(
            HttpStatus.SERVICE_UNAVAILABLE,
            "Kafka unavailable",
            e.getMessage()
                + (e.outcomeUnknown()
                    ? "; the events may still become visible: retry with the same eventIds,"
                        + " duplicates are dropped"
                    : "; nothing was written, retry later"),
            request);
    // Machine-readable: whether a retry could duplicate events that carry no eventId of their own.
    problem.setProperty("written", e.outcomeUnknown() ? "unknown" : "no");
    HttpHeaders headers = new HttpHeaders();
    headers.set(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds));
    return respond(problem, headers);
  }

  @ExceptionHandler(IOException.class)
  ResponseEntity<ProblemDetail> unreadable(IOException e, HttpServletRequest request) {
    return respond(
        problem(
            HttpStatus.BAD_REQUEST,
            "Malformed request body",
            "the request body could not be read",
            request),
        new HttpHeaders());
  }

  /** A bug, not bad input: logged in full, answered without internals. */
  @ExceptionHandler(Exception.class)
  ResponseEntity<ProblemDetail> unexpected(Exception e, HttpServletRequest request) {
    log.error("unexpected error on {} {}", request.getMethod(), request.getRequestURI(), e);
    return respond(
        problem(
            HttpStatus.INTERNAL_SERVER_ERROR,
            "Internal error",
            "an unexpected error occurred; nothing was written",
            request),
        new HttpHeaders());
  }

  private static ProblemDetail problem(
      HttpStatus status, String title, String detail, HttpServletRequest request) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
    problem.setTitle(title);
    try {
      problem.setInstance(URI.create(request.getRequestURI()));
    } catch (IllegalArgumentException e) {
      // An unparsable path is no reason to lose the problem itself.
    }
    return problem;
  }

  private static ResponseEntity<ProblemDetail> respond(ProblemDetail problem, HttpHeaders headers) {
    return ResponseEntity.status(problem.getStatus())
        .headers(headers)
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .body(problem);
  }
}
