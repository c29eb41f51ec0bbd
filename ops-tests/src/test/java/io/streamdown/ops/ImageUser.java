package io.streamdown.ops;

import java.nio.file.Path;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.NodeList;

/**
 * The user the container images run as: the root pom's {@code streamdown.image.user} property
 * ({@code uid:gid}), which Jib writes into each image's config and Kubernetes must agree with.
 */
record ImageUser(int uid, int gid) {

  static ImageUser fromRootPom() {
    Path pom = Repository.file("pom.xml");
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      NodeList nodes =
          factory.newDocumentBuilder().parse(pom.toFile()).getElementsByTagName(
              "streamdown.image.user");
      if (nodes.getLength() != 1) {
        throw new IllegalStateException("no single streamdown.image.user property in " + pom);
      }
      return parse(nodes.item(0).getTextContent().trim());
    } catch (IllegalStateException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("cannot read " + pom + ": " + e, e);
    }
  }

  static ImageUser parse(String user) {
    String[] parts = user.split(":");
    if (parts.length != 2) {
      throw new IllegalArgumentException("expected uid:gid, got " + user);
    }
    return new ImageUser(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
  }

  @Override
  public String toString() {
    return uid + ":" + gid;
  }
}
