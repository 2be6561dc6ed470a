package dev.tokenward.jaxrs;

import dev.tokenward.core.VerifiedToken;
import java.security.Principal;
import java.util.Objects;

/**
 * The caller of a protected resource: {@code SecurityContext.getUserPrincipal()} returns one, and
 * it carries the verified token.
 */
public final class TokenPrincipal implements Principal {
  private final VerifiedToken token;
  private final String name;

  TokenPrincipal(VerifiedToken token) {
    this.token = Objects.requireNonNull(token, "token");
    this.name = nameOf(token);
  }

  /**
   * The token's {@code sub}; for a token without one (some machine-to-machine tokens), its
   * {@code client_id} or {@code azp}; else the empty string.
   */
  @Override
  public String getName() {
    return name;
  }

  /** The token that authenticated the request. */
  public VerifiedToken token() {
    return token;
  }

  private static String nameOf(VerifiedToken token) {
    if (token.subject() != null) {
      return token.subject();
    }
    for (String claim : new String[] {"client_id", "azp"}) {
      if (token.claims().get(claim) instanceof String s) {
        return s;
      }
    }
    return "";
  }

  @Override
  public String toString() {
    return "TokenPrincipal{" + name + "}";
  }
}
