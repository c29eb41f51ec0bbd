package io.streamdown.query.query;

import java.time.Duration;
import java.util.Objects;

/**
 * The outcome of an interactive query: the answer, or why there is none right now. Interactive
 * queries fail while the stores are not queryable (start-up, restoration, rebalancing); that is a
 * normal state of a Streams service, so it is a value here, not an exception.
 */
public sealed interface QueryResult<T> permits QueryResult.Found, QueryResult.Unavailable {

  static <T> QueryResult<T> found(T value) {
    return new Found<>(value);
  }

  static <T> QueryResult<T> unavailable(String reason, Duration retryAfter) {
    return new Unavailable<>(reason, retryAfter);
  }

  /** The answer, computed from the local stores. */
  record Found<T>(T value) implements QueryResult<T> {
    public Found {
      Objects.requireNonNull(value, "value");
    }
  }

  /**
   * The stores cannot be queried now; asking again after {@code retryAfter} may succeed.
   *
   * @param reason why, for people (e.g. the Streams client's state)
   * @param retryAfter a hint for clients
   */
  record Unavailable<T>(String reason, Duration retryAfter) implements QueryResult<T> {}
}
