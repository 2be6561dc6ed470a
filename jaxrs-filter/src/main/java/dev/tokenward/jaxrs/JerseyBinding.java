package dev.tokenward.jaxrs;

import dev.tokenward.core.VerifiedToken;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import jakarta.ws.rs.container.ContainerRequestContext;
import java.util.function.Supplier;
import org.glassfish.jersey.internal.inject.AbstractBinder;
import org.glassfish.jersey.process.internal.RequestScoped;

/**
 * On Jersey, makes {@code @Context VerifiedToken} injectable into resource methods and
 * per-request resource fields, from the request property {@link Tokens#ATTRIBUTE}. Loaded only
 * when Jersey is on the class path; other runtimes use {@link TokenParam}.
 */
final class JerseyBinding extends AbstractBinder {
  /** Supplies the request's verified token, or null where tokenward did not authenticate the request. */
  static final class TokenSupplier implements Supplier<VerifiedToken> {
    private final Provider<ContainerRequestContext> request;

    @Inject
    TokenSupplier(Provider<ContainerRequestContext> request) {
      this.request = request;
    }

    @Override
    public VerifiedToken get() {
      return Tokens.find(request.get()).orElse(null);
    }
  }

  @Override
  protected void configure() {
    bindFactory(TokenSupplier.class).to(VerifiedToken.class).proxy(false).in(RequestScoped.class);
  }

}
