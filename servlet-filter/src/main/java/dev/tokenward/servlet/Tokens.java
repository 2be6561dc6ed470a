package dev.tokenward.servlet;

import dev.tokenward.core.TokenPrincipal;
import dev.tokenward.core.VerifiedToken;
import jakarta.servlet.ServletRequest;
import java.util.Optional;

/**
 * How a servlet reaches the verified token of its request; the JAX-RS feature has the same class
 * ({@code dev.tokenward.jaxrs.Tokens}) with the same names:
 *
 * <pre>{@code
 * VerifiedToken token = Tokens.from(request);        // throws if the filter did not authenticate it
 * Optional<VerifiedToken> maybe = Tokens.find(request);
 * }</pre>
 *
 * The request's {@code getUserPrincipal()} is then a {@link TokenPrincipal}, {@code getAuthType()}
 * is {@value #AUTHENTICATION_SCHEME}, and the token is the request attribute {@value #ATTRIBUTE}.
 */
public final class Tokens {
  /** The request attribute holding the {@link VerifiedToken} of an authenticated request. */
  public static final String ATTRIBUTE = "dev.tokenward.core.VerifiedToken";

  /** What {@code getAuthType()} answers for a token-authenticated request: the RFC 6750 scheme name. */
  public static final String AUTHENTICATION_SCHEME = "Bearer";

  private Tokens() {}

  /**
   * The verified token of a request the filter authenticated.
   *
   * @throws IllegalStateException if the request was not authenticated by tokenward (no rule or
   *     annotation covers it)
   */
  public static VerifiedToken from(ServletRequest request) {
    return find(request).orElseThrow(() -> new IllegalStateException(
        "no verified token on this request: no tokenward path rule or servlet annotation covers it"));
  }

  /** The verified token, or empty when the request was not authenticated by tokenward. */
  public static Optional<VerifiedToken> find(ServletRequest request) {
    return request.getAttribute(ATTRIBUTE) instanceof VerifiedToken t ? Optional.of(t) : Optional.empty();
  }
}
