package io.streamdown.web;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RequestMapping;

/**
 * The servlet container's error page ({@code /error}) as a problem document: errors that end in
 * {@code sendError} outside Spring MVC's exception handling (a method Tomcat refuses, a filter's
 * error) answer in the same shape as everything else, never with a stack trace. Asked directly,
 * {@code /error} is not found.
 */
@Controller
@RequestMapping("${server.error.path:${error.path:/error}}")
public class ProblemErrorController implements ErrorController {

  @RequestMapping
  ResponseEntity<String> error(HttpServletRequest request) {
    Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
    HttpStatus status =
        code instanceof Integer value && HttpStatus.resolve(value) != null
            ? HttpStatus.valueOf(value)
            : HttpStatus.NOT_FOUND;
    String detail =
        code == null ? "no such resource" : "the request was refused: " + status.getReasonPhrase();
    return ResponseEntity.status(status)
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .body(Problems.json(status.value(), status.getReasonPhrase(), detail, Map.of()));
  }
}
