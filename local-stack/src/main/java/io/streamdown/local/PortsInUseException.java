package io.streamdown.local;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The pre-flight check found ports that the stack needs already taken. Nothing has been started
 * when this is thrown.
 */
public final class PortsInUseException extends StackException {

  private final List<PortUse> busy;

  public PortsInUseException(List<PortUse> busy) {
    super(message(busy));
    this.busy = List.copyOf(busy);
  }

  /** The taken ports with their roles. */
  public List<PortUse> busy() {
    return busy;
  }

  private static String message(List<PortUse> busy) {
    String list =
        busy.stream()
            .map(use -> "  port " + use)
            .collect(Collectors.joining(System.lineSeparator()));
    return "cannot start: "
        + (busy.size() == 1 ? "a port the stack needs is" : "ports the stack needs are")
        + " already in use (is a stack already running?)"
        + System.lineSeparator()
        + list
        + System.lineSeparator()
        + "Stop whatever listens there (see `ss -ltnp`) or choose other ports"
        + " (--broker-port, --controller-port, --http-port-base, --management-offset).";
  }
}
