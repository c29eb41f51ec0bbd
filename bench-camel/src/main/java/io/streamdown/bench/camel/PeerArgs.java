package io.streamdown.bench.camel;

import java.util.List;

/** {@code --bootstrap host:port --topic name --port n}, all three required. */
record PeerArgs(String bootstrap, String topic, int port) {

  static final String USAGE = "usage: CamelIngestPeer --bootstrap host:port --topic name --port n";

  static PeerArgs parse(List<String> args) {
    String bootstrap = null;
    String topic = null;
    Integer port = null;
    for (int i = 0; i < args.size(); i++) {
      String name = args.get(i);
      if (i + 1 >= args.size()) {
        throw new IllegalArgumentException(name + " needs a value\n" + USAGE);
      }
      String value = args.get(++i);
      switch (name) {
        case "--bootstrap" -> bootstrap = value;
        case "--topic" -> topic = value;
        case "--port" -> port = port(value);
        default -> throw new IllegalArgumentException("unknown argument '" + name + "'\n" + USAGE);
      }
    }
    if (bootstrap == null || topic == null || port == null) {
      throw new IllegalArgumentException(USAGE);
    }
    return new PeerArgs(bootstrap, topic, port);
  }

  private static int port(String text) {
    try {
      int port = Integer.parseInt(text);
      if (port >= 0 && port <= 65_535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("--port must be 0..65535, not '" + text + "'");
  }
}
