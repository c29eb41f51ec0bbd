package io.streamdown.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.streamdown.local.Service;
import io.streamdown.schemas.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;

/**
 * The container images Jib builds for the services, read from the tarballs of {@code jib:buildTar}
 * (built over {@code scratch} with {@code -Dstreamdown.image.tar.skip=false}, as CI does): the tag
 * compose and Kubernetes use, the entrypoint runs the service's main class from the image's layers,
 * the exposed ports and labels are the service's configured ports, and it runs as a non-root user.
 */
class ContainerImagesTest {

  @ParameterizedTest
  @EnumSource(Service.class)
  void theImageRunsTheServiceAndExposesItsPorts(Service service) throws IOException {
    Path tarball = Repository.file(service.moduleName() + "/target/jib-image.tar");
    assumeTrue(
        Files.isRegularFile(tarball),
        "no image tarball at "
            + tarball
            + "; build it with `mvn package -Dstreamdown.image.tar.skip=false` (CI does)");
    Map<String, byte[]> files = read(Files.newInputStream(tarball), false);
    JsonNode manifest = Json.MAPPER.readTree(files.get("manifest.json")).get(0);
    assertThat(manifest.get("RepoTags").get(0).asString())
        .isEqualTo("streamdown/" + service.moduleName() + ":" + Service.VERSION);
    JsonNode config =
        Json.MAPPER.readTree(files.get(manifest.get("Config").asString())).get("config");

    Map<String, byte[]> layers = new HashMap<>();
    List<String> layerFiles = new ArrayList<>();
    for (JsonNode layer : manifest.get("Layers")) {
      byte[] compressed = files.get(layer.asString());
      assertThat(compressed).as("layer " + layer.asString()).isNotNull();
      Map<String, byte[]> content =
          read(new GZIPInputStream(new java.io.ByteArrayInputStream(compressed)), true);
      layers.putAll(content);
      layerFiles.addAll(content.keySet());
    }

    List<String> entrypoint = new ArrayList<>();
    config.get("Entrypoint").forEach(part -> entrypoint.add(part.asString()));
    assertThat(entrypoint.get(0)).isEqualTo("java");
    String mainClass = entrypoint.get(entrypoint.size() - 1);
    assertThat(new String(layers.get("app/jib-main-class-file"), StandardCharsets.UTF_8).trim())
        .isEqualTo(mainClass);
    assertThat(layerFiles).contains("app/classes/" + mainClass.replace('.', '/') + ".class");
    assertThat(layerFiles).contains("app/resources/application.yml");
    String classpath =
        new String(layers.get("app/jib-classpath-file"), StandardCharsets.UTF_8).trim();
    for (String entry : classpath.split(":")) {
      if (entry.endsWith(".jar")) {
        assertThat(layerFiles).as("classpath entry in a layer").contains(entry.substring(1));
      }
    }
    assertThat(layerFiles).anyMatch(f -> f.startsWith("app/libs/spring-boot-"));

    Map<String, Object> yml =
        new Yaml()
            .load(new String(layers.get("app/resources/application.yml"), StandardCharsets.UTF_8));
    int http = (Integer) ((Map<?, ?>) yml.get("server")).get("port");
    int management =
        (Integer) ((Map<?, ?>) ((Map<?, ?>) yml.get("management")).get("server")).get("port");
    List<String> ports = new ArrayList<>();
    config.get("ExposedPorts").propertyNames().forEach(ports::add);
    assertThat(ports).containsExactlyInAnyOrder(http + "/tcp", management + "/tcp");

    ImageUser user = ImageUser.fromRootPom();
    assertThat(user.uid()).as("image uid").isPositive();
    assertThat(config.get("User")).as("the image's user").isNotNull();
    assertThat(ImageUser.parse(config.get("User").asString())).isEqualTo(user);

    JsonNode labels = config.get("Labels");
    assertThat(labels.get("org.opencontainers.image.title").asString())
        .isEqualTo(service.moduleName());
    assertThat(labels.get("org.opencontainers.image.version").asString())
        .isEqualTo(Service.VERSION);
    assertThat(labels.get("io.streamdown.management-port").asString())
        .isEqualTo(Integer.toString(management));
  }

  /** Every regular file of a tar stream by name (the image tarball, or one gzip'ed layer). */
  private static Map<String, byte[]> read(InputStream in, boolean namesOnlyExceptAppMeta)
      throws IOException {
    Map<String, byte[]> files = new HashMap<>();
    try (TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        if (!entry.isFile()) {
          continue;
        }
        String name = entry.getName();
        boolean keep =
            !namesOnlyExceptAppMeta
                || name.startsWith("app/jib-")
                || name.endsWith("application.yml");
        files.put(name, keep ? tar.readAllBytes() : new byte[0]);
      }
    }
    return files;
  }
}
