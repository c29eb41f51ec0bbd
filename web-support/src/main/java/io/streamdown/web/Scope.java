package io.streamdown.web;

import java.util.Locale;

/**
 * What an API key may do. A key holds one or more scopes; every route of the public API needs
 * exactly one. Configured in lower case ({@code ingest}, {@code reference}, {@code query}).
 */
public enum Scope {
  /** Post events ({@code POST /api/v1/events}). */
  INGEST,
  /** Upsert and delete reference data ({@code /api/v1/reference/**}). */
  REFERENCE,
  /**
   * Read aggregates ({@code /api/v1/views/**}); also what query instances present to each other.
   */
  QUERY;

  /** The name as configured and as sent in {@code WWW-Authenticate: ... scope="..."}. */
  public String value() {
    return name().toLowerCase(Locale.ROOT);
  }
}
