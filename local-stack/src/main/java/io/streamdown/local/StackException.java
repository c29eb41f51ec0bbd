package io.streamdown.local;

/**
 * A failure of the local stack that the person running it can act on: a port in use, a missing jar,
 * a service that did not become healthy. The message is written for a terminal, names the component
 * and, where there is one, the log to read.
 */
public class StackException extends RuntimeException {

  public StackException(String message) {
    super(message);
  }

  public StackException(String message, Throwable cause) {
    super(message, cause);
  }
}
