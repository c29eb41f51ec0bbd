package io.streamdown.local;

import java.time.Duration;
import java.util.List;

/**
 * A service did not become ready: its process exited during start-up, or it did not answer UP
 * before the deadline. The message names the service and its log and quotes the log's last lines.
 */
public final class ServiceStartException extends StackException {

  private static final int TAIL_LINES = 15;

  private final List<Service> services;

  private ServiceStartException(String message, List<Service> services) {
    super(message);
    this.services = List.copyOf(services);
  }

  /** The services that failed. */
  public List<Service> services() {
    return services;
  }

  static ServiceStartException exited(ServiceProcess process) {
    String message =
        process.name()
            + " exited with code "
            + process.exitCode().map(String::valueOf).orElse("?")
            + " during start-up; see its log "
            + process.logFile()
            + tail(process);
    return new ServiceStartException(message, List.of(process.service()));
  }

  static ServiceStartException notReady(List<ServiceProcess> pending, Duration timeout) {
    StringBuilder message = new StringBuilder();
    for (ServiceProcess process : pending) {
      if (!message.isEmpty()) {
        message.append(System.lineSeparator());
      }
      message
          .append(process.name())
          .append(" was not ready after ")
          .append(timeout.toSeconds())
          .append(" s (GET ")
          .append(process.readinessUrl())
          .append(": ")
          .append(process.lastProbe())
          .append("); see its log ")
          .append(process.logFile())
          .append(tail(process));
    }
    return new ServiceStartException(
        message.toString(), pending.stream().map(ServiceProcess::service).toList());
  }

  private static String tail(ServiceProcess process) {
    List<String> lines;
    try {
      lines = process.logTail(TAIL_LINES);
    } catch (RuntimeException e) {
      return "";
    }
    if (lines.isEmpty()) {
      return " (empty)";
    }
    StringBuilder tail = new StringBuilder(System.lineSeparator()).append("  last lines:");
    for (String line : lines) {
      tail.append(System.lineSeparator()).append("  | ").append(line);
    }
    return tail.toString();
  }
}
