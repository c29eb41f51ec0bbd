package io.streamdown.query.api;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.springframework.util.MultiValueMap;

/** Paths with query strings of the requests one query instance sends another. */
final class QueryPaths {

  private QueryPaths() {}

  /** {@code /api/v1/views/<view>/<endpoint>}. */
  static String view(String view, String endpoint) {
    return "/api/v1/views/" + encode(view) + '/' + endpoint;
  }

  /** The path followed by the parameters, each value URL-encoded, in the map's order. */
  static String withQuery(String path, MultiValueMap<String, String> params) {
    StringBuilder uri = new StringBuilder(path);
    char separator = '?';
    for (Map.Entry<String, List<String>> param : params.entrySet()) {
      for (String value : param.getValue()) {
        uri.append(separator).append(encode(param.getKey())).append('=').append(encode(value));
        separator = '&';
      }
    }
    return uri.toString();
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
