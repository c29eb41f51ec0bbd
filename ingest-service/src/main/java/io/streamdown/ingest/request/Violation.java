package io.streamdown.ingest.request;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One reason a request was well-formed but does not fit the schema, as listed in the {@code errors}
 * of a 422 problem.
 *
 * @param index position of the event in the request (array position, or the position among the
 *     non-blank lines of NDJSON); null for a problem of the request as a whole
 * @param line 1-based line of the event in an NDJSON body; null otherwise
 * @param field the offending field ({@code time}, {@code attributes.site}); null for the whole
 *     event or request
 * @param message what is wrong, for people
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Violation(Integer index, Integer line, String field, String message) {

  /** A problem of the request as a whole. */
  public static Violation ofRequest(String field, String message) {
    return new Violation(null, null, field, message);
  }
}
