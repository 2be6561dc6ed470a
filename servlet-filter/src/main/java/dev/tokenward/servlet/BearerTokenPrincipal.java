package dev.tokenward.servlet;

import dev.tokenward.core.VerifiedToken;
import java.security.Principal;
import java.util.Objects;

/**
 * The caller of a request that {@link BearerTokenFilter} let through, as returned by
 * {@code request.getUserPrincipal()}: named by the token's {@code sub} claim, and carrying the
 * verified token itself (never the raw token).
 */
public final class BearerTokenPrincipal implements Principal {
  private final VerifiedToken token;

  /**
   * The principal of a request that {@code token} authenticated.
   *
   * @param token the verified token of the request
   */
  public BearerTokenPrincipal(VerifiedToken token) {
    this.token = Objects.requireNonNull(token, "token");
  }

  /** The {@code sub} claim, or the empty string if the token has none. */
  @Override
  public String getName() {
    return token.subject() == null ? "" : token.subject();
  }

  /** The verified token: scopes, permissions, claims. */
  public VerifiedToken token() {
    return token;
  }

  @Override
  public String toString() {
    return "BearerTokenPrincipal{" + getName() + "}";
  }
}
