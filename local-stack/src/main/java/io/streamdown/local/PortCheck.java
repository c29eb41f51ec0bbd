package io.streamdown.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The pre-flight check that every port is free before anything starts, so a clash is reported at
 * once instead of as a half-started stack, and a helper that picks free ports for tests.
 */
public final class PortCheck {

  private PortCheck() {}

  /** The uses whose port cannot be bound right now, in the given order. */
  public static List<PortUse> busy(Collection<PortUse> uses) {
    return uses.stream().filter(use -> !isFree(use.port())).toList();
  }

  /**
   * Throws if any port is taken.
   *
   * @throws PortsInUseException naming every taken port and its role
   */
  public static void requireFree(Collection<PortUse> uses) {
    List<PortUse> busy = busy(uses);
    if (!busy.isEmpty()) {
      throw new PortsInUseException(busy);
    }
  }

  /**
   * Whether {@code port} can be bound both on all interfaces and on the loopback address. Both,
   * because the broker listens on localhost while the services listen on all interfaces, and some
   * systems let a specific bind succeed next to a wildcard one.
   */
  public static boolean isFree(int port) {
    return canBind(new InetSocketAddress(port))
        && canBind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
  }

  /** {@code count} distinct ports that are free at the time of the call. */
  public static int[] freePorts(int count) {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      // Holding all sockets open until every port is chosen keeps the ports distinct.
      int[] ports = new int[count];
      for (int i = 0; i < count; i++) {
        ServerSocket socket = new ServerSocket(0);
        sockets.add(socket);
        ports[i] = socket.getLocalPort();
      }
      return ports;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find free ports", e);
    } finally {
      for (ServerSocket socket : sockets) {
        try {
          socket.close();
        } catch (IOException ignored) {
          // the port was only probed
        }
      }
    }
  }

  private static boolean canBind(InetSocketAddress address) {
    try (ServerSocket socket = new ServerSocket()) {
      // Like the servers that will bind it: a port whose old connections linger in TIME_WAIT
      // is usable, a port with a listener is not.
      socket.setReuseAddress(true);
      socket.bind(address);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
