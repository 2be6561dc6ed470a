package dev.tokenward.jaxrs;

import dev.tokenward.core.TokenPrincipal;
import dev.tokenward.core.VerifiedToken;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.SecurityContext;
import java.util.Optional;

/**
 * How a resource reaches the verified token of its request, on any Jakarta REST runtime:
 *
 * <pre>{@code
 * @GET @RequiresScopes("read:messages")
 * public Message read(@Context SecurityContext security) {
 *   VerifiedToken token = Tokens.from(security);
 *   ...
 * }
 * }</pre>
 *
 * The servlet filter has the same class ({@code dev.tokenward.servlet.Tokens}) with the same names.
 * The principal is a {@link TokenPrincipal}; the token is also the request property
 * {@value #ATTRIBUTE}, for filters and interceptors that see a {@link ContainerRequestContext}. Only methods that require a token have one: a
 * {@code @PermitAll} or public method is not authenticated, even if the request carries a token.
 */
public final class Tokens {
  /** The request property (the servlet filter's request attribute) holding the {@link VerifiedToken} of an authenticated request. */
  public static final String ATTRIBUTE = "dev.tokenward.core.VerifiedToken";

  /** What {@link SecurityContext#getAuthenticationScheme()} answers for a token-authenticated request: the RFC 6750 scheme name. */
  public static final String AUTHENTICATION_SCHEME = "Bearer";

  private Tokens() {}

  /**
   * The verified token of a protected request.
   *
   * @throws IllegalStateException if the request was not authenticated by tokenward, that is the
   *     resource method requires no token
   */
  public static VerifiedToken from(SecurityContext security) {
    return find(security).orElseThrow(() -> new IllegalStateException(
        "no verified token in this SecurityContext: the resource method does not require one "
            + "(annotate it with @Authenticated, @RequiresScopes, @RequiresPermissions, @RequiresGrants or @RolesAllowed)"));
  }

  /** The verified token, or empty when the request was not authenticated by tokenward. */
  public static Optional<VerifiedToken> find(SecurityContext security) {
    return security != null && security.getUserPrincipal() instanceof TokenPrincipal p
        ? Optional.of(p.token()) : Optional.empty();
  }

  /** The verified token held in the request property, or empty. */
  public static Optional<VerifiedToken> find(ContainerRequestContext request) {
    return request.getProperty(ATTRIBUTE) instanceof VerifiedToken t ? Optional.of(t) : Optional.empty();
  }
}
