package io.streamdown.ingest.request;

import java.util.List;

/** The body's {@code Content-Type} is missing or not one the endpoint reads (415). */
public final class UnsupportedMediaTypeException extends RequestRejectedException {

  private final List<String> supported;

  public UnsupportedMediaTypeException(String message, List<String> supported) {
    super("unsupported-media-type", message, 1);
    this.supported = List.copyOf(supported);
  }

  public List<String> supported() {
    return supported;
  }
}
