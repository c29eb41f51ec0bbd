package io.streamdown.web;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import tools.jackson.databind.json.JsonMapper;

/**
 * RFC 9457 problem documents written straight to a response, for refusals made before Spring MVC
 * sees a request (filters, the servlet container), shaped like the ones the controllers answer.
 */
public final class Problems {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private Problems() {}

  /**
   * The problem as JSON text: title, status, detail, then {@code members}. There is no {@code
   * type}, which RFC 9457 then takes to be {@code about:blank}, exactly as in the problems Spring
   * MVC writes for the controllers, so that a client sees one shape whoever refused its request.
   */
  public static String json(int status, String title, String detail, Map<String, ?> members) {
    Map<String, Object> problem = new LinkedHashMap<>();
    problem.put("title", title);
    problem.put("status", status);
    problem.put("detail", detail);
    problem.putAll(members);
    return JSON.writeValueAsString(problem);
  }

  /** Writes the problem as the whole response, replacing anything buffered. */
  static void write(
      HttpServletResponse response, HttpStatus status, String detail, Map<String, ?> members)
      throws IOException {
    response.resetBuffer();
    response.setStatus(status.value());
    response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
    response.setCharacterEncoding("UTF-8");
    response.getWriter().write(json(status.value(), status.getReasonPhrase(), detail, members));
    response.flushBuffer();
  }
}
