package io.streamdown.ingest.request;

import java.io.InputStream;

/**
 * A request body as it arrives, before anything was read from it.
 *
 * @param contentType the {@code Content-Type} header, null when absent
 * @param contentLength the {@code Content-Length} header, -1 when absent (chunked)
 * @param stream the body
 */
public record IncomingBody(String contentType, long contentLength, InputStream stream) {}
