package io.streamdown.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Lets a request through only with a valid API key of the scope its route needs (RFC 6750 bearer
 * tokens): none or an unknown one gets 401, a key without the scope 403, both as RFC 9457 problem
 * details with a {@code WWW-Authenticate: Bearer} challenge. It runs before anything reads the
 * body, so a stranger costs no parsing and reaches no topic. With no key configured it lets every
 * request through. Registered on the public port only: the management port has its own context.
 */
public final class ApiKeyFilter extends OncePerRequestFilter {

  private static final Logger log = LoggerFactory.getLogger(ApiKeyFilter.class);

  /** RFC 6750 b64token. */
  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9\\-._~+/]+=*");

  private final ApiKeys keys;
  private final AccessRules rules;
  private final String realm;

  public ApiKeyFilter(ApiKeys keys, AccessRules rules, String realm) {
    this.keys = keys;
    this.rules = rules;
    this.realm = realm;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String path = request.getRequestURI().substring(request.getContextPath().length());
    if (!keys.enabled() || rules.isPublic(request.getMethod(), path)) {
      chain.doFilter(request, response);
      return;
    }
    List<String> authorizations = Collections.list(request.getHeaders(HttpHeaders.AUTHORIZATION));
    if (authorizations.isEmpty()) {
      // RFC 6750 3.1: no credentials at all, so no error code, only the challenge.
      reject(request, response, HttpStatus.UNAUTHORIZED, null, "an API key is required", null);
      return;
    }
    Optional<String> token =
        authorizations.size() == 1 ? bearerToken(authorizations.get(0)) : Optional.empty();
    if (token.isEmpty()) {
      reject(
          request,
          response,
          HttpStatus.UNAUTHORIZED,
          "invalid_request",
          "send exactly one 'Authorization: Bearer <API key>' header",
          null);
      return;
    }
    Optional<Caller> caller = keys.authenticate(token.get());
    if (caller.isEmpty()) {
      reject(request, response, HttpStatus.UNAUTHORIZED, "invalid_token", "unknown API key", null);
      return;
    }
    Optional<Scope> needed = rules.requiredScope(request.getMethod(), path);
    if (needed.isPresent() && !caller.get().may(needed.get())) {
      log.debug(
          "key '{}' lacks scope {} for {} {}",
          caller.get().name(),
          needed.get().value(),
          request.getMethod(),
          path);
      reject(
          request,
          response,
          HttpStatus.FORBIDDEN,
          "insufficient_scope",
          "the API key '"
              + caller.get().name()
              + "' lacks the scope '"
              + needed.get().value()
              + "'",
          needed.get());
      return;
    }
    request.setAttribute(Caller.ATTRIBUTE, caller.get());
    chain.doFilter(request, response);
  }

  /** The token of a well-formed {@code Bearer} credential; the scheme is case-insensitive. */
  static Optional<String> bearerToken(String authorization) {
    int space = authorization.indexOf(' ');
    if (space < 0 || !authorization.substring(0, space).equalsIgnoreCase("Bearer")) {
      return Optional.empty();
    }
    String token = authorization.substring(space + 1);
    if (token.length() > ApiKeys.MAX_TOKEN_CHARS || !TOKEN.matcher(token).matches()) {
      return Optional.empty();
    }
    return Optional.of(token);
  }

  private void reject(
      HttpServletRequest request,
      HttpServletResponse response,
      HttpStatus status,
      String error,
      String detail,
      Scope scope)
      throws IOException {
    StringBuilder challenge = new StringBuilder("Bearer realm=\"").append(realm).append('"');
    if (error != null) {
      challenge.append(", error=\"").append(error).append('"');
    }
    if (scope != null) {
      challenge.append(", scope=\"").append(scope.value()).append('"');
    }
    Map<String, Object> members = new LinkedHashMap<>();
    members.put("instance", request.getRequestURI());
    if (scope != null) {
      members.put("requiredScope", scope.value());
    }
    response.setHeader(HttpHeaders.WWW_AUTHENTICATE, challenge.toString());
    response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
    Problems.write(response, status, detail, members);
  }
}
