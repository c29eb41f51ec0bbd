package io.streamdown.query.dashboard;

import io.streamdown.web.ApiKeyFilter;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.regex.Pattern;

/**
 * The API key filter, except for the dashboard's own files ({@code /}, {@code /index.html},
 * {@code /dashboard/*.js|css|svg}, GET and HEAD only): the page holds no data and must load
 * before it can ask its user for a key. Every other request, on any path, meets the API key
 * filter unchanged, so "a path no rule covers still needs a valid key" holds for everything else.
 */
final class PublicAssetsFilter implements Filter {

  /** Only plain names: nothing encoded, no dot segments, no way out of the page's folder. */
  static final Pattern PUBLIC_PATHS =
      Pattern.compile("/|/index\\.html|/dashboard/[A-Za-z0-9_-]+\\.(?:js|css|svg)");

  private final ApiKeyFilter keys;

  PublicAssetsFilter(ApiKeyFilter keys) {
    this.keys = keys;
  }

  static boolean isPublic(String method, String path) {
    return ("GET".equals(method) || "HEAD".equals(method)) && PUBLIC_PATHS.matcher(path).matches();
  }

  @Override
  public void init(FilterConfig config) throws ServletException {
    keys.init(config);
  }

  @Override
  public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    if (request instanceof HttpServletRequest http
        && isPublic(
            http.getMethod(), http.getRequestURI().substring(http.getContextPath().length()))) {
      chain.doFilter(request, response);
      return;
    }
    keys.doFilter(request, response, chain);
  }

  @Override
  public void destroy() {
    keys.destroy();
  }
}
