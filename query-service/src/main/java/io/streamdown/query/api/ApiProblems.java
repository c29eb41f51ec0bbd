package io.streamdown.query.api;

import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * The RFC 9457 problems of the query API, as exceptions Spring MVC renders as
 * {@code application/problem+json}. Extra members name what was wrong (e.g.
 * {@code missingFields}), so clients need not parse the detail text.
 */
final class ApiProblems {

  private ApiProblems() {}

  static ErrorResponseException unknownView(String view, List<String> known) {
    return problem(
        HttpStatus.NOT_FOUND,
        "Unknown view",
        "no view named '" + view + "'",
        Map.of("view", view, "views", known));
  }

  static ErrorResponseException badRequest(String title, String detail, Map<String, ?> members) {
    return problem(HttpStatus.BAD_REQUEST, title, detail, members);
  }

  static ErrorResponseException unavailable(String reason, long retryAfterSeconds) {
    ErrorResponseException e =
        problem(
            HttpStatus.SERVICE_UNAVAILABLE,
            "Aggregates not queryable yet",
            reason,
            Map.of("retryAfterSeconds", retryAfterSeconds));
    e.getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds));
    return e;
  }

  private static ErrorResponseException problem(
      HttpStatus status, String title, String detail, Map<String, ?> members) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
    problem.setTitle(title);
    members.forEach(problem::setProperty);
    return new ErrorResponseException(status, problem, null);
  }
}
