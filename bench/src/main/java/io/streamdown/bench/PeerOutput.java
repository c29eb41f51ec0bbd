package io.streamdown.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Consumer;

/**
 * Copies a peer's output to its log file line by line, on a daemon thread, handing each line to
 * the caller and keeping the last few for an error message.
 */
final class PeerOutput {

  private static final int KEPT = 5;

  private final Deque<String> last = new ArrayDeque<>();
  private final Thread thread;

  private PeerOutput(
      Process process, Path log, Consumer<String> onLine, Consumer<String> onEnd) {
    thread =
        new Thread(
            () -> {
              copy(process, log, onLine);
              onEnd.accept(lastLines());
            },
            log.getFileName() + "-output");
    thread.setDaemon(true);
  }

  /**
   * Starts copying.
   *
   * @param onLine told every line, on the copying thread
   * @param onEnd told the last lines once the output ended (the process exited or the copy
   *     failed)
   */
  static PeerOutput start(
      Process process, Path log, Consumer<String> onLine, Consumer<String> onEnd) {
    PeerOutput output = new PeerOutput(process, log, onLine, onEnd);
    output.thread.start();
    return output;
  }

  private void copy(Process process, Path log, Consumer<String> onLine) {
    try (BufferedReader in =
            new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        Writer file = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
      String line;
      while ((line = in.readLine()) != null) {
        file.write(line);
        file.write('\n');
        file.flush();
        synchronized (last) {
          last.addLast(line);
          if (last.size() > KEPT) {
            last.removeFirst();
          }
        }
        onLine.accept(line);
      }
    } catch (IOException e) {
      synchronized (last) {
        last.addLast("output lost: " + e.getMessage());
      }
    }
  }

  /** Waits up to {@code millis} for the output to end. */
  void join(long millis) throws InterruptedException {
    thread.join(millis);
  }

  /** The last lines, joined for a message. */
  String lastLines() {
    synchronized (last) {
      return String.join(" | ", last);
    }
  }
}
