package dev.tokenward.jaxrs;

import dev.tokenward.core.Reason;
import dev.tokenward.core.Requirement;
import dev.tokenward.core.TokenValidationException;
import dev.tokenward.core.VerifiedToken;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import java.util.Optional;

/**
 * Checks the verified token against one method's {@link Requirement}, bound at
 * {@code Priorities.AUTHORIZATION} only to methods that have one. Refusal: 403
 * {@code insufficient_scope} with {@code scope="..."}.
 */
final class AuthorizationFilter implements ContainerRequestFilter {
  private final Requirement requirement; // null: deny every token
  private final String realm;

  private AuthorizationFilter(Requirement requirement, String realm) {
    this.requirement = requirement;
    this.realm = realm;
  }

  static AuthorizationFilter requiring(Requirement requirement, String realm) {
    return new AuthorizationFilter(requirement, realm);
  }

  static AuthorizationFilter denyingAll(String realm) {
    return new AuthorizationFilter(null, realm);
  }

  @Override
  public void filter(ContainerRequestContext request) {
    Optional<VerifiedToken> token = Tokens.find(request);
    if (token.isEmpty()) { // the authentication filter did not run: fail closed
      ErrorAnswers.abortMissingToken(request, realm);
      return;
    }
    try {
      if (requirement == null) {
        throw new TokenValidationException(Reason.INSUFFICIENT_SCOPE,
            "this resource is closed to every token (@DenyAll)");
      }
      requirement.check(token.get());
    } catch (TokenValidationException e) {
      // a DPoP request is answered with a DPoP challenge (RFC 9449 section 7.1)
      ErrorAnswers.abort(request, request.getProperty(AuthenticationFilter.CHALLENGE_PROPERTY)
          instanceof java.util.function.UnaryOperator<?> challenge ? withChallenge(challenge, e) : e, realm);
    }
  }

  @SuppressWarnings("unchecked")
  private static TokenValidationException withChallenge(java.util.function.UnaryOperator<?> challenge,
      TokenValidationException e) {
    return ((java.util.function.UnaryOperator<TokenValidationException>) challenge).apply(e);
  }
}
