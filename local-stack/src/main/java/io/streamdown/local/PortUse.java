package io.streamdown.local;

/**
 * A port the stack will listen on and what for, so a pre-flight failure can say which port is taken
 * and by which part of the stack it is needed.
 *
 * @param port the TCP port
 * @param role what listens there, for example {@code ingest-service HTTP}
 */
public record PortUse(int port, String role) {

  @Override
  public String toString() {
    return port + " (" + role + ")";
  }
}
