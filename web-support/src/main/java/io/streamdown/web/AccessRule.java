package io.streamdown.web;

import java.util.Set;
import org.springframework.http.HttpMethod;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * The scope a route needs: its HTTP methods (empty: any) and path pattern, in Spring MVC's own
 * syntax and matched the way Spring MVC matches it (decoded segments, matrix variables ignored), so
 * an encoded path such as {@code /api/v1/%76iews} needs the same scope as the route it reaches.
 *
 * @param methods the methods the rule covers; empty for all
 * @param pattern the path pattern, e.g. {@code /api/v1/reference/{source}}
 * @param scope the scope a caller needs; null for a public route, which needs no key at all
 */
public record AccessRule(Set<HttpMethod> methods, String pattern, Scope scope) {

  private static final PathPatternParser PARSER = PathPatternParser.defaultInstance;

  public AccessRule {
    methods = Set.copyOf(methods);
    PARSER.parse(pattern); // fails early on a bad pattern
  }

  /** A rule for every method of the routes under {@code pattern}. */
  public static AccessRule any(String pattern, Scope scope) {
    return new AccessRule(Set.of(), pattern, scope);
  }

  /**
   * A route anyone may GET (and so HEAD) without a key, such as the files of a page that must load
   * before it can ask its user for one. Keep the pattern narrow: it opens what it matches.
   */
  public static AccessRule publicGet(String pattern) {
    return new AccessRule(Set.of(HttpMethod.GET), pattern, null);
  }

  /** A rule for one method. */
  public static AccessRule of(HttpMethod method, String pattern, Scope scope) {
    return new AccessRule(Set.of(method), pattern, scope);
  }

  PathPattern parsed() {
    return PARSER.parse(pattern);
  }
}
