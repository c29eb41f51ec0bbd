package io.streamdown.ingest.request;

/**
 * A problem with one field of one JSON object, before it is placed in the request.
 *
 * @param field the field path, null for the object as a whole
 * @param message what is wrong
 */
record FieldProblem(String field, String message) {

  Violation at(Integer index, Integer line) {
    return new Violation(index, line, field, message);
  }
}
