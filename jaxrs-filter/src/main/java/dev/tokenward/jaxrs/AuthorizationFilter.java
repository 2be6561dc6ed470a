package dev.tokenward.jaxrs;

import dev.tokenward.core.Reason;
import dev.tokenward.core.TokenValidationException;
import dev.tokenward.core.VerifiedToken;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import java.util.Optional;

/**
 * Checks the verified token against the {@link AccessRule} the {@link AuthenticationFilter} decided
 * for the request, bound at {@code Priorities.AUTHORIZATION} to every resource method. Refusal: 403
 * {@code insufficient_scope} with {@code scope="..."}; a request that reached it without a decided
 * rule, or without a token where one is needed, is refused (fail closed).
 */
final class AuthorizationFilter implements ContainerRequestFilter {
  private final String realm;

  AuthorizationFilter(String realm) {
    this.realm = realm;
  }

  @Override
  public void filter(ContainerRequestContext request) {
    if (!(request.getProperty(AuthenticationFilter.RULE_PROPERTY) instanceof AccessRule rule)) {
      ErrorAnswers.abortMissingToken(request, realm); // the authentication filter did not run: fail closed
      return;
    }
    if (rule.kind == AccessRule.Kind.PUBLIC || rule.kind == AccessRule.Kind.OPTIONAL) {
      return; // with optional authentication a token, if any, was validated; there is nothing more to require
    }
    Optional<VerifiedToken> token = Tokens.find(request);
    if (token.isEmpty()) {
      ErrorAnswers.abortMissingToken(request, realm);
      return;
    }
    try {
      if (rule.kind == AccessRule.Kind.DENY) {
        throw new TokenValidationException(Reason.INSUFFICIENT_SCOPE,
            "this resource is closed to every token (@DenyAll)");
      }
      if (rule.requirement != null) {
        rule.requirement.check(token.get());
      }
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
