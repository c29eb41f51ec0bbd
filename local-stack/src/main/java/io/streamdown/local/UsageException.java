package io.streamdown.local;

/** The command line is wrong; the message says how, and the caller prints the usage. */
final class UsageException extends Exception {

  UsageException(String message) {
    super(message);
  }
}
