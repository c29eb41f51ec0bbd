package io.streamdown.query.api;

import io.streamdown.query.cluster.PeerClient;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;

/**
 * What routing needs of the request: the API path with its raw query string (to forward as it
 * came), the caller's credentials (forwarded with it) and whether another instance sent it.
 */
record Inbound(String pathAndQuery, String authorization, boolean forwarded) {

  static Inbound of(HttpServletRequest request) {
    String query = request.getQueryString();
    return new Inbound(
        request.getRequestURI() + (query == null ? "" : "?" + query),
        request.getHeader(HttpHeaders.AUTHORIZATION),
        request.getHeader(PeerClient.FORWARDED) != null);
  }

  /** The path alone, without the query string. */
  String path() {
    int question = pathAndQuery.indexOf('?');
    return question < 0 ? pathAndQuery : pathAndQuery.substring(0, question);
  }
}
