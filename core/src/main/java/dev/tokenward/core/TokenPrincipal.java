package dev.tokenward.core;

import java.security.Principal;
import java.util.Objects;

/**
 * The caller of a request that a tokenward filter authenticated, as both filters hand it to the
 * application ({@code HttpServletRequest.getUserPrincipal()}, {@code SecurityContext.getUserPrincipal()}):
 * named by the token, and carrying the verified token itself (never the raw token).
 */
public final class TokenPrincipal implements Principal {
  private final VerifiedToken token;
  private final String name;

  /** The principal of a verified token. */
  public TokenPrincipal(VerifiedToken token) {
    this.token = Objects.requireNonNull(token, "token");
    this.name = token.subject() != null ? token.subject() : token.clientId().orElse("");
  }

  /**
   * The token's {@code sub}; for a token without one (some machine-to-machine tokens), its
   * client ({@code azp} or {@code client_id}); else the empty string.
   */
  @Override
  public String getName() {
    return name;
  }

  /** The verified token: scopes, permissions, claims. */
  public VerifiedToken token() {
    return token;
  }

  @Override
  public String toString() {
    return "TokenPrincipal{" + name + "}";
  }
}
