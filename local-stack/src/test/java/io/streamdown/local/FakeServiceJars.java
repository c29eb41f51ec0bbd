package io.streamdown.local;

import io.streamdown.local.fake.FakeService;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** Writes {@link FakeService} jars where the launcher looks for the real service jars. */
final class FakeServiceJars {

  private FakeServiceJars() {}

  /** A fake jar for every service below the repository root {@code home}. */
  static void install(Path home) throws IOException {
    for (Service service : Service.values()) {
      write(service.jar(home));
    }
  }

  static void write(Path jarFile) throws IOException {
    String entryName = FakeService.class.getName().replace('.', '/') + ".class";
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, FakeService.class.getName());
    Files.createDirectories(jarFile.getParent());
    try (InputStream classBytes =
            FakeService.class.getClassLoader().getResourceAsStream(entryName);
        OutputStream file = Files.newOutputStream(jarFile);
        JarOutputStream jar = new JarOutputStream(file, manifest)) {
      jar.putNextEntry(new JarEntry(entryName));
      classBytes.transferTo(jar);
      jar.closeEntry();
    }
  }
}
