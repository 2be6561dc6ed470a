package dev.tokenward.jaxrs;

import dev.tokenward.core.TokenPrincipal;
import dev.tokenward.core.VerifiedToken;
import jakarta.ws.rs.core.SecurityContext;

/**
 * The {@link SecurityContext} of a request authenticated by a bearer token: the principal carries
 * the token, a role is a granted scope or permission, and {@link #isSecure()} is the original
 * request's.
 */
final class TokenSecurityContext implements SecurityContext {
  private final TokenPrincipal principal;
  private final SecurityContext original; // may be null on a runtime that supplies none

  TokenSecurityContext(VerifiedToken token, SecurityContext original) {
    this.principal = new TokenPrincipal(token);
    this.original = original;
  }

  @Override
  public TokenPrincipal getUserPrincipal() {
    return principal;
  }

  /** True if {@code role} is granted as a scope or as a permission. */
  @Override
  public boolean isUserInRole(String role) {
    return role != null && principal.token().grants(role);
  }

  @Override
  public boolean isSecure() {
    return original != null && original.isSecure();
  }

  /** {@value Tokens#AUTHENTICATION_SCHEME}. */
  @Override
  public String getAuthenticationScheme() {
    return Tokens.AUTHENTICATION_SCHEME;
  }
}
