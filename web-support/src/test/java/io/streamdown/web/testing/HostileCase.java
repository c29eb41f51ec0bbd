package io.streamdown.web.testing;

/**
 * One row of a hostile-request table: what is sent and the one status that must come back.
 *
 * @param name what the request does wrong, shown as the test's name
 * @param request the request
 * @param status the expected status
 */
public record HostileCase(String name, HttpRequestSpec request, int status) {

  @Override
  public String toString() {
    return status + " " + name;
  }
}
