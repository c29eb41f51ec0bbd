package io.streamdown.web;

import java.util.List;
import java.util.Optional;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;

/**
 * The scopes of a service's routes; the first matching rule wins. A service declares one bean of
 * this type. A path no rule covers still needs a valid key (of any scope), so nothing on the public
 * port is open while keys are configured.
 */
public final class AccessRules {

  private record Compiled(List<HttpMethod> methods, PathPattern pattern, Scope scope) {}

  private final List<AccessRule> rules;
  private final List<Compiled> compiled;

  public AccessRules(List<AccessRule> rules) {
    this.rules = List.copyOf(rules);
    this.compiled =
        this.rules.stream()
            .map(rule -> new Compiled(List.copyOf(rule.methods()), rule.parsed(), rule.scope()))
            .toList();
  }

  public static AccessRules of(AccessRule... rules) {
    return new AccessRules(List.of(rules));
  }

  public List<AccessRule> rules() {
    return rules;
  }

  /**
   * The scope a request needs, or empty when no rule covers it or it is public.
   *
   * @param method the request's method
   * @param path the request's path within the application, undecoded (as in the request line)
   */
  public Optional<Scope> requiredScope(String method, String path) {
    return firstMatch(method, path).map(Compiled::scope);
  }

  /** Whether the first rule covering the request is a {@link AccessRule#publicGet public} one. */
  public boolean isPublic(String method, String path) {
    return firstMatch(method, path).map(rule -> rule.scope() == null).orElse(false);
  }

  private Optional<Compiled> firstMatch(String method, String path) {
    PathContainer container = PathContainer.parsePath(path);
    // HEAD is served by GET handlers, so it needs what GET needs.
    String effective = "HEAD".equalsIgnoreCase(method) ? "GET" : method;
    for (Compiled rule : compiled) {
      boolean methodMatches =
          rule.methods().isEmpty() || rule.methods().stream().anyMatch(m -> m.matches(effective));
      if (methodMatches && rule.pattern().matches(container)) {
        return Optional.of(rule);
      }
    }
    return Optional.empty();
  }
}
