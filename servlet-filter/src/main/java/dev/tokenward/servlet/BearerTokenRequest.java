package dev.tokenward.servlet;

import dev.tokenward.core.TokenPrincipal;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.security.Principal;

/** The request as the application sees it once its token is verified. */
final class BearerTokenRequest extends HttpServletRequestWrapper {
  private final TokenPrincipal principal;

  BearerTokenRequest(HttpServletRequest request, TokenPrincipal principal) {
    super(request);
    this.principal = principal;
  }

  @Override
  public Principal getUserPrincipal() {
    return principal;
  }

  @Override
  public String getRemoteUser() {
    return principal.getName();
  }

  @Override
  public String getAuthType() {
    return Tokens.AUTHENTICATION_SCHEME;
  }

  /** A role is a granted scope or permission; {@code **} (any authenticated user) is true, {@code *} false, per the Servlet spec. */
  @Override
  public boolean isUserInRole(String role) {
    return role != null && !role.equals("*") && (role.equals("**") || principal.token().grants(role));
  }
}
