package dev.tokenward.jaxrs;

import dev.tokenward.core.VerifiedToken;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.SecurityContext;
import java.util.Optional;

/**
 * The verified token as a parameter or field of a resource, the portable way (Jakarta REST's
 * {@code @BeanParam}, the same on Jersey, RESTEasy and any 3.1 runtime):
 *
 * <pre>{@code
 * @GET @RequiresScopes("read:messages")
 * public Message read(@BeanParam TokenParam token) {
 *   return messages.of(token.get().subject());
 * }
 *
 * @GET @Path("greeting") @OptionalAuthentication
 * public String greet(@BeanParam TokenParam token) {
 *   return token.find().map(t -> "hello " + t.subject()).orElse("hello");
 * }
 * }</pre>
 *
 * A resource class created per request may also declare {@code @BeanParam TokenParam token;} as a
 * field. It reads the request's {@link SecurityContext}, as {@link Tokens#from} does.
 */
public final class TokenParam {
  @Context
  private SecurityContext security;

  /** For the runtime, which creates one per request and injects it. */
  public TokenParam() {}

  /**
   * The verified token of the request.
   *
   * @throws IllegalStateException if tokenward did not authenticate the request (a public method,
   *     or {@link OptionalAuthentication} without credentials)
   */
  public VerifiedToken get() {
    return Tokens.from(security);
  }

  /** The verified token, or empty when tokenward did not authenticate the request. */
  public Optional<VerifiedToken> find() {
    return Tokens.find(security);
  }

  @Override
  public String toString() {
    return "TokenParam{" + find().map(VerifiedToken::subject).orElse("anonymous") + "}";
  }
}
