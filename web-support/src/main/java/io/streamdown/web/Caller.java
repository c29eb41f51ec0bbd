package io.streamdown.web;

import java.util.Set;

/**
 * Who made a request, once their key checked out: the key's name and scopes. Put on the request as
 * the attribute {@link #ATTRIBUTE} for code that wants to know (logs, metrics).
 *
 * @param name the key's name
 * @param scopes what the key may do
 */
public record Caller(String name, Set<Scope> scopes) {

  /** The request attribute holding the {@code Caller}. */
  public static final String ATTRIBUTE = Caller.class.getName();

  public Caller {
    scopes = Set.copyOf(scopes);
  }

  public boolean may(Scope scope) {
    return scopes.contains(scope);
  }
}
