package io.streamdown.local;

import io.streamdown.local.watchdog.ParentWatchdog;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * Writes the one-class agent jar of {@link ParentWatchdog}. The launcher writes it at start-up
 * rather than shipping it, so it works the same from the packaged launcher and from a test that has
 * this module's classes on its class path; and it holds nothing but that class, because an agent
 * jar lands on the service's system class path, where Kafka or logging classes would clash with
 * those inside the service's own jar.
 */
public final class ParentWatchdogJar {

  private ParentWatchdogJar() {}

  /**
   * The JVM option that makes a child JVM exit when this JVM is gone, however it ended: the agent
   * jar is written into {@code dir}. For child processes other than the services (benchmark peers).
   */
  public static String agentOption(Path dir) {
    return "-javaagent:"
        + write(dir.resolve("parent-watchdog.jar"))
        + "="
        + ProcessHandle.current().pid();
  }

  /** Writes the agent jar to {@code target} (replacing it) and returns {@code target}. */
  static Path write(Path target) {
    String entryName = ParentWatchdog.class.getName().replace('.', '/') + ".class";
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().putValue("Premain-Class", ParentWatchdog.class.getName());
    try {
      Files.createDirectories(target.getParent());
      Path temporary = Files.createTempFile(target.getParent(), "parent-watchdog", ".tmp");
      try (InputStream classBytes =
              ParentWatchdogJar.class.getClassLoader().getResourceAsStream(entryName);
          OutputStream file = Files.newOutputStream(temporary);
          JarOutputStream jar = new JarOutputStream(file, manifest)) {
        if (classBytes == null) {
          throw new IllegalStateException(entryName + " is missing from the class path");
        }
        jar.putNextEntry(new JarEntry(entryName));
        classBytes.transferTo(jar);
        jar.closeEntry();
      }
      // Another launcher may be starting services with the previous copy right now.
      Files.move(
          temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the parent-watchdog agent jar " + target, e);
    }
  }
}
