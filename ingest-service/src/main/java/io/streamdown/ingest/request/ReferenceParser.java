package io.streamdown.ingest.request;

import io.streamdown.schemas.EventLimits;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.databind.JsonNode;

/**
 * Parses and validates reference data: the {@code {source}} of the path, and a body that is one
 * flat JSON object of attributes under the same rules as event attributes.
 */
public final class ReferenceParser {

  private final RequestJson json;

  public ReferenceParser(RequestJson json) {
    this.json = json;
  }

  /**
   * Checks a source named in a path.
   *
   * @throws InvalidBodyException when it is blank or too long (422)
   */
  public void checkSource(String source) {
    List<Violation> violations = new ArrayList<>();
    sourceProblem(source, violations);
    if (!violations.isEmpty()) {
      throw new InvalidBodyException("the source is invalid", violations, 1);
    }
  }

  /**
   * Parses a reference upsert.
   *
   * @param source the source of the path
   * @param body the whole body, not empty
   * @return the attributes, in body order
   * @throws MalformedBodyException when the body is not well-formed JSON (400)
   * @throws InvalidBodyException when the source or any attribute is invalid (422)
   */
  public Map<String, Object> parse(String source, byte[] body) {
    List<Violation> violations = new ArrayList<>();
    sourceProblem(source, violations);
    try {
      json.scanner().readTree(body);
    } catch (StreamConstraintsException e) {
      throw new InvalidBodyException(
          "the body exceeds a parser limit",
          List.of(Violation.ofRequest(null, limitMessage(e))),
          1);
    } catch (JacksonException e) {
      String position = RequestJson.position(e);
      throw new MalformedBodyException(
          "malformed JSON"
              + (position.isEmpty() ? "" : " at " + position)
              + ": "
              + RequestJson.shortMessage(e),
          null);
    }
    JsonNode node;
    try {
      node = json.strict().readTree(body);
    } catch (JacksonException e) {
      // Well-formed, as the scanner found: what is left is a duplicate key.
      violations.add(
          Violation.ofRequest(
              RequestJson.propertyPath(e), "duplicate field; each field may appear once"));
      throw new InvalidBodyException("the reference data is invalid", violations, 1);
    }
    if (node == null || node.isMissingNode()) {
      throw new MalformedBodyException("the request body is empty", null);
    }
    if (!node.isObject()) {
      violations.add(Violation.ofRequest(null, "must be a JSON object of attributes"));
      throw new InvalidBodyException("the reference data is invalid", violations, 1);
    }
    List<FieldProblem> problems = new ArrayList<>();
    Map<String, Object> attributes = AttributeRules.read(node, "", problems);
    problems.forEach(problem -> violations.add(problem.at(null, null)));
    if (!violations.isEmpty()) {
      throw new InvalidBodyException("the reference data is invalid", violations, 1);
    }
    return attributes;
  }

  private static void sourceProblem(String source, List<Violation> violations) {
    if (source == null || source.isBlank() || source.length() > EventLimits.MAX_SOURCE_LENGTH) {
      violations.add(
          Violation.ofRequest(
              "source",
              "must be 1 to " + EventLimits.MAX_SOURCE_LENGTH + " characters and not blank"));
    }
  }

  private static String limitMessage(StreamConstraintsException e) {
    return "exceeds a parser limit: " + RequestJson.shortMessage(e);
  }
}
