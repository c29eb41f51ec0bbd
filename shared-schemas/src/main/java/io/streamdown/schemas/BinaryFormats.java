package io.streamdown.schemas;

import org.apache.kafka.common.errors.SerializationException;

/** What the binary serdes of the stores share: each value starts with its format byte. */
public final class BinaryFormats {

  private BinaryFormats() {}

  /** The error for bytes that are not {@code what} in format {@code format}. */
  public static SerializationException notOfFormat(String what, byte format, byte[] bytes) {
    return new SerializationException(
        "not "
            + what
            + " of format "
            + format
            + " ("
            + bytes.length
            + " bytes"
            + (bytes.length > 0 ? ", format " + bytes[0] : "")
            + ")");
  }
}
